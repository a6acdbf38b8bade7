import ArgumentParser
import Foundation
import TonchiCharter
import TonchiCore
import TonchiHistory
import TonchiIngest
import TonchiReport
import TonchiScan

/// `tonchi review-list`: many sites ranked by the weight of their findings, the list of licensed
/// sites an inspection plan should review first.
struct ReviewListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review-list",
        abstract: "Rank sites for review by the weight of their findings, with counts per criterion.",
        discussion: """
            With dumps: scans each (its charter found in --charters DIR by the dump's host, else --kind), \
            and with --store also records the scans. With --store alone: the latest stored scan of each site, \
            with review decisions (false positives left out, confirmed findings at confidence 1).
            Weight of a finding: severity (info 0, low 1, medium 3, high 6, critical 10) × confidence; \
            site-rule findings ×2; a finding repeated on many pages counts once (docs/history.md).
            Exit codes: 0 the list was made; 2 usage, charter, rule or store error; 3 some input could not be read completely.
            """)

    @Argument(help: "Site dumps (WARC, WACZ, mirror folders, JSON Lines), one or more sites each.")
    var dumps: [String] = []

    @Option(help: "A folder of charter files (.yaml): each dump is scanned with the charter whose domains hold its host.")
    var charters: String?

    @Option(help: "Publication kind for dumps no charter matches: \(PublicationKind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var kind: PublicationKind?

    @OptionGroup var store: StoreOptions

    @Option(help: "Show only the first N sites.")
    var top: Int?

    @Option(help: "Output format: text or json.")
    var format: DataFormat = .text

    @OptionGroup var ruleOptions: RuleOptions

    func run() throws {
        var sites: [SiteFindings] = []
        var complete = true
        if dumps.isEmpty {
            guard store.resolved != nil else {
                printError("tonchi: give dumps to scan, or --store PATH for the latest stored scan of each site")
                throw ExitStatus.usage.exitCode
            }
            do { sites = try store.open(create: false).latestSites() } catch let error as HistoryError {
                printError("tonchi: \(error)")
                throw ExitStatus.usage.exitCode
            }
        } else {
            let history = try store.resolved.map { try openStore(path: $0, create: true) }
            let groups = try planScans()
            let ruleSet = try ruleOptions.load()
            for group in groups {
                let offCharter = try group.charter.flatMap { try offCharterCheck(for: $0, path: group.charterPath!, ruleSet: ruleSet) }
                let scanner = Scanner(ruleSet: ruleSet, options: .init(kind: group.kind, date: nil, scanDate: Day.today))
                let report = scanner.scan(group.dumps, tool: .init(version: Tonchi.version, rulesHash: ruleSet.sourceHash, ruleCount: ruleSet.rules.count),
                                          charter: group.charter, offCharter: offCharter)
                complete = complete && report.isComplete
                for item in report.coverage.unchecked { printError("tonchi: not checked: \(item.location): \(item.detail)") }
                var found = SiteFindings.of(report: report, source: group.dumps.map { ($0 as NSString).lastPathComponent }.joined(separator: " "))
                if let history {
                    do {
                        let id = try history.record(scan: report)
                        printError("tonchi: recorded scan \(id) in \(history.path)")
                        found = try found.map { s in
                            SiteFindings(site: s.site, name: s.name, pages: s.pages, source: s.source, scanID: id, scannedAt: nil,
                                         findings: try history.annotate(s.findings))
                        }
                    } catch {
                        printError("tonchi: \(error)")
                        throw ExitStatus.usage.exitCode
                    }
                }
                sites += found
            }
        }
        var list = ReviewList.rank(sites)
        if let top { list = ReviewList(schema: list.schema, weights: list.weights, sites: Array(list.sites.prefix(max(0, top)))) }
        switch format {
        case .text: print(HistoryText.render(list), terminator: "")
        case .json: print(JSONFormat.render(list), terminator: "")
        }
        if !complete { throw ExitStatus.incomplete.exitCode }
    }

    struct Planned {
        var charter: Charter?
        var charterPath: String?
        var kind: PublicationKind
        var dumps: [String]
    }

    /// Groups the dumps by the charter (or kind) they are scanned with; a dump no charter matches
    /// and no --kind covers is a usage error naming it.
    private func planScans() throws -> [Planned] {
        var loaded: [(path: String, charter: Charter)] = []
        if let charters {
            do {
                for (_, path) in try Charter.files(inFolder: charters) { loaded.append((path, try Charter.load(path: path))) }
            } catch {
                printError("tonchi: \(error)")
                throw ExitStatus.usage.exitCode
            }
        }
        var groups: [Planned] = []
        for dump in dumps {
            let host = firstHost(of: dump)
            let match = host.flatMap { h in loaded.first { $0.charter.domains.contains { Fingerprint.siteKey($0) == h } } }
            guard let kind = match?.charter.kind ?? kind else {
                let why = charters.map { "no charter in \($0) lists its host \(host ?? "(no page with a URL)")" } ?? "no --charters folder"
                printError("tonchi: \(dump): \(why), and no --kind given")
                throw ExitStatus.usage.exitCode
            }
            if let index = groups.firstIndex(where: { $0.charterPath == match?.path && $0.kind == kind }) {
                groups[index].dumps.append(dump)
            } else {
                groups.append(Planned(charter: match?.charter, charterPath: match?.path, kind: kind, dumps: [dump]))
            }
        }
        return groups
    }

    /// The site key of the first page with a URL in a dump (nil when none has one or it cannot be read).
    private func firstHost(of dump: String) -> String? {
        struct Found: Error { let host: String }
        do {
            try Dump.read(path: dump) { event in
                if case .item(let item) = event, let url = item.url, let host = URLComponents(string: url)?.host, !host.isEmpty {
                    throw Found(host: Fingerprint.siteKey(host))
                }
            }
        } catch let found as Found { return found.host } catch {}
        return nil
    }
}
