import Kernels

/// Typed, throwing access to metadata and tensors: a missing key or a value of the wrong type becomes a
/// `GGUFError` naming the file and the key, so model loaders can read hyper-parameters strictly in one line each.
extension GGUFFile {
    private func value(_ key: String) throws -> GGUFValue {
        guard let value = metadata[key] else { throw error(.missingKey(key)) }
        return value
    }

    private func wrongType(_ key: String, _ expected: String, _ value: GGUFValue) -> GGUFError {
        error(.wrongValueType(key: key, expected: expected, found: value.typeName))
    }

    public func string(_ key: String) throws -> String {
        let v = try value(key)
        guard let s = v.stringValue else { throw wrongType(key, "string", v) }
        return s
    }

    /// Any integer type that fits in an `Int`.
    public func int(_ key: String) throws -> Int {
        let v = try value(key)
        guard let i = v.intValue else { throw wrongType(key, "integer", v) }
        return i
    }

    /// An f32 or f64 (integers are accepted too, as some converters write them).
    public func float(_ key: String) throws -> Float {
        let v = try value(key)
        guard let d = v.doubleValue else { throw wrongType(key, "float", v) }
        return Float(d)
    }

    public func bool(_ key: String) throws -> Bool {
        let v = try value(key)
        guard let b = v.boolValue else { throw wrongType(key, "bool", v) }
        return b
    }

    public func stringArray(_ key: String) throws -> [String] {
        let v = try value(key)
        guard let a = v.arrayValue?.stringValues else { throw wrongType(key, "array of string", v) }
        return a
    }

    /// An array of any integer type whose elements fit in an `Int`.
    public func intArray(_ key: String) throws -> [Int] {
        let v = try value(key)
        guard let a = v.arrayValue?.intValues else { throw wrongType(key, "array of integer", v) }
        return a
    }

    public func floatArray(_ key: String) throws -> [Float] {
        let v = try value(key)
        guard let a = v.arrayValue?.floatValues else { throw wrongType(key, "array of float", v) }
        return a
    }

    /// The directory entry of tensor `name`.
    public func tensor(named name: String) throws -> GGUFTensorInfo {
        guard let info = tensors[name] else { throw error(.missingTensor(name)) }
        return info
    }

    /// First byte of a tensor's data (valid while this file is alive).
    public func pointer(for tensor: GGUFTensorInfo) -> UnsafeRawPointer {
        mappedBytes.baseAddress! + dataOffset + tensor.offset
    }

    /// A tensor's raw bytes (valid while this file is alive).
    public func bytes(for tensor: GGUFTensorInfo) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: pointer(for: tensor), count: tensor.byteCount)
    }

    /// Tensor `name` as a 2-D weight matrix: `ne[0]` columns × `ne[1]` rows; a 1-D tensor is one row.
    /// Trailing dimensions of 1 are allowed; anything with more real dimensions is rejected.
    public func weightMatrix(named name: String) throws -> WeightMatrix {
        let info = try tensor(named: name)
        guard info.dimensions.dropFirst(2).allSatisfy({ $0 == 1 }),
              let matrix = WeightMatrix(type: info.type, rows: info.rows, columns: info.columns, base: pointer(for: info))
        else { throw error(.notAMatrix(tensor: name, dimensions: info.dimensions)) }
        return matrix
    }

    /// An F32 tensor's elements in place (norm weights, biases), all dimensions flattened.
    public func floats(named name: String) throws -> UnsafeBufferPointer<Float> {
        let info = try tensor(named: name)
        guard info.type == .f32 else {
            throw error(.wrongTensorType(tensor: name, expected: "F32", found: info.type.description))
        }
        let start = pointer(for: info)
        // Mapped at a page boundary, so a 4-aligned offset gives aligned floats; alignment 1 or 2 files may not.
        guard Int(bitPattern: start) % MemoryLayout<Float>.alignment == 0 else {
            throw error(.misalignedTensor(tensor: name, offset: UInt64(info.offset)))
        }
        return UnsafeBufferPointer(start: start.assumingMemoryBound(to: Float.self), count: info.elementCount)
    }
}
