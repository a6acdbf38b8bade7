import ArgumentParser
import TonchiCore
import TonchiEvaluate

/// Output options `check` and `scan` share, and the exit code they both derive from a report.
struct OutputOptions: ParsableArguments {
    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    @Option(name: .customLong("fail-on"), help: "Lowest severity that makes the exit code 1.")
    var failOn: Severity = .low

    /// 3 when something was not checked completely, else 1 when a finding reaches --fail-on.
    func exit(complete: Bool, findings: [Finding]) throws {
        if !complete { throw ExitStatus.incomplete.exitCode }
        if findings.contains(where: { $0.severity >= failOn }) { throw ExitStatus.findings.exitCode }
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
