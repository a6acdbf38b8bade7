import ArgumentParser
import Foundation
import TonchiCharter
import TonchiCore
import TonchiEvaluate
import TonchiExtract
import TonchiIngest
import TonchiReport
import TonchiRules
import TonchiScan

/// `tonchi check`: the pre-publication check of drafts and single pages.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check drafts or single pages (plain text, Markdown, HTML; '-' reads standard input).")

    @Argument(help: "Files to check; '-' for standard input.")
    var inputs: [String]

    @OptionGroup var publication: PublicationOptions

    @Option(help: "Publication date (YYYY-MM-DD) that chooses the provisions cited; default: the page's own date, else today.")
    var date: Day?

    @Option(name: .customLong("input-format"), help: "Force the input format (text, markdown, html) instead of detecting it.")
    var inputFormat: InputFormat?

    @OptionGroup var allowlist: AllowlistOptions

    @OptionGroup var output: OutputOptions

    @OptionGroup var ruleOptions: RuleOptions

    func run() throws {
        let (loadedCharter, kind) = try publication.resolve()
        let ruleSet = try ruleOptions.load()
        let offCharter = try loadedCharter.flatMap { try offCharterCheck(for: $0, path: publication.charter!, ruleSet: ruleSet) }
        let context = CheckContext(kind: kind, date: date, scanDate: Day.today)
        let checker = DocumentCheck(ruleSet: ruleSet, offCharter: offCharter)
        let allowed = try allowlist.load(ruleSet: ruleSet, today: Day.today)
        let knownRules = DocumentCheck.knownRuleIDs(ruleSet)

        var items: [InputItem] = []
        var unreadable: [CheckReport.Unreadable] = []
        for input in inputs {
            do {
                items.append(input == "-" ? try Ingest.readStandardInput(format: inputFormat)
                                          : try Ingest.read(path: input, format: inputFormat))
            } catch {
                unreadable.append(.init(name: input, reason: "\(error)"))
            }
        }

        // Documents are independent: check them on all cores, keep the input order in the output.
        var results = [DocumentResult?](repeating: nil, count: items.count)
        var evidence = [PageEvidence?](repeating: nil, count: items.count)
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: items.count) { i in
            let item = items[i]
            let (extracted, checked) = checker.draft(item.bytes, format: item.format, name: item.name, url: item.url, context: context,
                                                     suppressions: Suppressions.parse(item.bytes, format: item.format, knownRules: knownRules))
            var result = checked
            if let allowed { result = allowed.apply(to: result, url: extracted.metadata["url"] ?? item.url ?? item.name, today: Day.today) }
            let page = result.findings.isEmpty ? nil : PageEvidence.make(file: item.name, bytes: item.bytes, extracted: extracted)
            lock.lock(); results[i] = result; evidence[i] = page; lock.unlock()
        }

        let problems = results.compactMap { $0 }.flatMap { result in (result.suppressionProblems ?? []).map { (result.name, $0) } }
        for (name, problem) in problems { printError("\(name): suppression: \(problem)") }
        if ruleOptions.strict, problems.contains(where: { $0.1.kind == .unknownRule }) {
            printError("tonchi: --strict: a suppression names an unknown rule")
            throw ExitStatus.usage.exitCode
        }

        let report = CheckReport(
            tool: .init(version: Tonchi.version, rulesHash: ruleSet.sourceHash, ruleCount: ruleSet.rules.count),
            kind: kind, documents: results.compactMap { $0 }, unreadable: unreadable, evidence: evidence.compactMap { $0 })
        try output.emit(
            text: { TextFormat(color: output.outputFile == nil && Terminal.wantsColor).render(report) },
            json: { $0(JSONFormat.render(report)) },
            ndjson: { var text = ""; NDJSONStream { text += $0 }.write(check: report); return text },
            evidence: { EvidenceReport.make(report, context: output.context(inputs: inputs.map { FileHashing.describe($0) }, catalog: ruleSet.catalog)) })

        try output.exit(complete: report.isComplete, findings: report.findings)
    }
}

extension PublicationKind: ExpressibleByArgument {}
extension Severity: ExpressibleByArgument {}
extension InputFormat: ExpressibleByArgument {}
extension Day: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

enum Terminal {
    /// Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org).
    static var wantsColor: Bool {
        isatty(STDOUT_FILENO) != 0 && ProcessInfo.processInfo.environment["NO_COLOR"].map(\.isEmpty) ?? true
    }
}
