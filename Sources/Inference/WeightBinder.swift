import Kernels
import ModelFiles

/// Hands a model its tensors by canonical name and expected shape, strictly: a missing tensor, a wrong shape or
/// a tensor nobody asked for is an error, so a file of another architecture or variant is refused at load time
/// rather than producing nonsense. Shapes are given as (rows, columns) of y = W·x, i.e. GGUF `[columns, rows]`.
public final class WeightBinder {
    public let file: GGUFFile
    private var unclaimed: Set<String>

    public init(file: GGUFFile) {
        self.file = file
        unclaimed = Set(file.tensorNames)
    }

    /// Whether the file has tensor `name` (for optional tensors such as an untied output projection).
    public func has(_ name: String) -> Bool { file.tensors[name] != nil }

    /// The matrix `name` with `rows` outputs of `columns` inputs, in any supported type.
    public func matrix(_ name: String, rows: Int, columns: Int) throws -> WeightMatrix {
        let info = try claim(name, shape: [columns, rows])
        guard let matrix = WeightMatrix(type: info.type, rows: rows, columns: columns, base: file.pointer(for: info)) else {
            throw InferenceError.wrongShape(tensor: name, expected: [columns, rows], found: info.dimensions)
        }
        return matrix
    }

    /// The F32 vector `name` of `count` elements (norm weights, biases).
    public func vector(_ name: String, count: Int) throws -> UnsafePointer<Float> {
        let info = try claim(name, shape: [count])
        guard info.type == .f32 else {
            throw InferenceError.wrongTensorType(tensor: name, expected: "F32", found: info.type.description)
        }
        return try file.floats(named: name).baseAddress!
    }

    /// Call after binding everything: throws when the file holds tensors the model did not claim.
    public func finish() throws {
        guard unclaimed.isEmpty else { throw InferenceError.unusedTensors(unclaimed.sorted()) }
    }

    private func claim(_ name: String, shape: [Int]) throws -> GGUFTensorInfo {
        guard let info = file.tensors[name] else { throw InferenceError.missingTensor(name) }
        // Trailing dimensions of 1 carry no meaning in GGUF; anything else must match exactly.
        var dims = info.dimensions
        while dims.count > shape.count, dims.last == 1 { dims.removeLast() }
        guard dims == shape else { throw InferenceError.wrongShape(tensor: name, expected: shape, found: info.dimensions) }
        unclaimed.remove(name)
        return info
    }
}
