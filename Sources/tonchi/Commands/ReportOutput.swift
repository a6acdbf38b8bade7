import ArgumentParser
import Foundation
import TonchiCore
import TonchiReport
import TonchiRules
import TonchiScan

/// Where output goes: a file given with --output, else standard output.
final class OutputSink {
    private let handle: FileHandle
    private let isFile: Bool

    init(path: String?) throws {
        guard let path else { handle = .standardOutput; isFile = false; return }
        guard FileManager.default.createFile(atPath: path, contents: nil), let h = FileHandle(forWritingAtPath: path) else {
            printError("tonchi: cannot write \(path)")
            throw ExitStatus.usage.exitCode
        }
        handle = h; isFile = true
    }

    func write(_ text: String) { handle.write(Data(text.utf8)) }
    func close() { if isFile { try? handle.close() } }
}

extension OutputOptions {
    /// The command line as a user would type it again.
    static var command: [String] { ["tonchi"] + CommandLine.arguments.dropFirst() }

    func context(inputs: [EvidenceReport.InputFile], catalog: LegalCatalog) -> ReportContext {
        ReportContext(command: Self.command, inputs: inputs, authority: authority, catalog: catalog)
    }

    /// Writes a finished report (every format but a streamed NDJSON scan), then the PDF and the manifest.
    /// `json` writes its output piece by piece through the function it is given.
    func emit(text: () -> String, json: (_ write: (String) -> Void) -> Void, ndjson: () -> String, evidence: () -> EvidenceReport) throws {
        let sink = try OutputSink(path: outputFile)
        var model: EvidenceReport?
        func report() -> EvidenceReport { if model == nil { model = evidence() }; return model! }
        switch format {
        case .text: sink.write(text())
        case .json: json(sink.write)
        case .ndjson: sink.write(ndjson())
        case .sarif: sink.write(SARIFFormat.render(report()))
        case .html: sink.write(HTMLEvidenceFormat(language: lang).render(report()))
        }
        sink.close()
        try finish(model: report)
    }

    /// The PDF and the manifest, once the main output is written.
    func finish(model: () -> EvidenceReport) throws {
        var outputs: [Manifest.OutputFile] = []
        if let pdf {
            do {
                try PDFRenderer.render(html: HTMLEvidenceFormat(language: lang).render(model()), to: pdf)
            } catch {
                printError("tonchi: \(error)")
                throw ExitStatus.usage.exitCode
            }
        }
        guard let manifest else { return }
        do {
            if let outputFile { outputs.append(try Manifest.output(role: "report", path: outputFile)) }
            if let pdf { outputs.append(try Manifest.output(role: "pdf", path: pdf)) }
            let text = Manifest(report: model(), outputs: outputs).render()
            try Data(text.utf8).write(to: URL(fileURLWithPath: manifest))
        } catch {
            printError("tonchi: cannot write the manifest \(manifest): \(error)")
            throw ExitStatus.usage.exitCode
        }
    }
}
