import ArgumentParser
import TonchiCore
import TonchiEvaluate
import TonchiReport

/// Output options `check` and `scan` share, and the exit code they both derive from a report.
struct OutputOptions: ParsableArguments {
    @Option(help: "Output format: text, json, ndjson (streamed, one finding a line), sarif (2.1.0) or html (the evidence report).")
    var format: OutputFormat = .text

    @Option(name: .customLong("fail-on"), help: "Lowest severity that makes the exit code 1.")
    var failOn: Severity = .low

    @Option(name: [.customShort("o"), .customLong("output")], help: "Write the output to FILE instead of standard output.")
    var outputFile: String?

    @Option(help: "Also write an integrity manifest (tonchi.manifest/1) to FILE: the report's hash, the inputs' and every evidence item's; needs --output. Check it with 'tonchi verify'.")
    var manifest: String?

    @Option(help: "Language of the evidence report (html, pdf): vi or en.")
    var lang: ReportLanguage = .vi

    @Option(help: "Also render the evidence report to this PDF file (needs Chromium).")
    var pdf: String?

    @Option(help: "Inspecting authority named in the evidence report (default: the charter's 'authority').")
    var authority: String?

    /// 3 when something was not checked completely, else 1 when a finding reaches --fail-on.
    func exit(complete: Bool, findings: [Finding]) throws {
        try exit(complete: complete, severities: findings.map(\.severity))
    }

    func exit(complete: Bool, severities: [Severity]) throws {
        if !complete { throw ExitStatus.incomplete.exitCode }
        if severities.contains(where: { $0 >= failOn }) { throw ExitStatus.findings.exitCode }
    }

    func validate() throws {
        if manifest != nil && outputFile == nil && pdf == nil {
            throw ValidationError("--manifest needs --output FILE (or --pdf FILE): the manifest records the report file's hash")
        }
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, ndjson, sarif, html
}

/// Commands whose output is data rather than findings (eval, charter suggest) write text or JSON.
enum DataFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

extension ReportLanguage: ExpressibleByArgument {}
