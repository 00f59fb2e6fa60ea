import ArgumentParser
import Foundation
import Inference
import ModelFiles
import Tokenization

/// `rag perplexity FILE`: how well the decoder predicts a text, computed the way llama.cpp's perplexity tool does,
/// so our numerics can be compared with the established implementation on any text.
struct PerplexityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "perplexity",
        abstract: "Perplexity of the decoder model on a UTF-8 text file.",
        discussion: """
            The text is tokenized and cut into non-overlapping windows of --ctx tokens (a partial last window is dropped). \
            Each window is evaluated from an empty cache, and the negative log-likelihood of every token in its second \
            half is averaged over all windows: perplexity = exp(mean NLL). "tokens" in the JSON counts the scored tokens.
            """)

    @Argument(help: "A UTF-8 text file.")
    var file: String

    @Option(parsing: .unconditional, help: "Tokens per window.")
    var ctx = 512

    @Flag(help: "Print {perplexity, tokens, windows} as JSON.")
    var json = false

    @OptionGroup var modelOptions: DecoderModelOptions
    @OptionGroup var compute: ComputeOptions
    @OptionGroup var prefillOptions: PrefillOptions

    func validate() throws {
        if ctx < 4 { throw ValidationError("--ctx must be at least 4") }
    }

    func run() throws {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw ValidationError("cannot read \(file): check the path")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ValidationError("\(file) is not UTF-8 text")
        }
        let gguf = try modelOptions.open()
        let tokens = try BPETokenizer(gguf: gguf).encode(text)
        let windows = tokens.count / ctx
        guard windows > 0 else {
            throw ValidationError("\(file) has \(tokens.count) tokens, fewer than one window of --ctx \(ctx)")
        }
        let model = try LanguageModels.load(gguf, options: InferenceOptions(parallelism: compute.parallelism, contextLength: ctx,
                                                                         prefill: prefillOptions.prefill))
        var negativeLogLikelihood = 0.0, scored = 0
        for w in 0..<windows {
            let window = Array(tokens[(w * ctx)..<((w + 1) * ctx)])
            model.reset()
            // Logits at position j predict token j+1: score the second half, as llama.cpp does.
            try model.forward(window, logitsFor: (ctx / 2)..<(ctx - 1)) { j, logits in
                negativeLogLikelihood -= Self.logProbability(of: window[j + 1], logits)
                scored += 1
            }
            if !json {
                StandardStreams.writeError(String(format: "[window %d/%d] running perplexity %.4f\n", w + 1,
                                                  windows, exp(negativeLogLikelihood / Double(scored))))
            }
        }
        let perplexity = exp(negativeLogLikelihood / Double(scored))
        if json {
            try printJSON(Report(perplexity: perplexity, tokens: scored, windows: windows))
        } else {
            print(String(format: "perplexity %.4f over %d scored tokens in %d windows of %d", perplexity, scored, windows, ctx))
        }
    }

    struct Report: Encodable {
        let perplexity: Double
        let tokens: Int
        let windows: Int
    }

    /// log softmax(logits)[token], in double precision.
    static func logProbability(of token: Int, _ logits: UnsafeBufferPointer<Float>) -> Double {
        let maximum = Double(logits.max() ?? 0)
        var total = 0.0
        for logit in logits { total += exp(Double(logit) - maximum) }
        return Double(logits[token]) - maximum - log(total)
    }
}
