// Benchmarks, printed as figures: `tonchi-bench scan` (end-to-end scans of WARC files), `tonchi-bench
// matcher` (corpus articles scaled to ≥200 MB, generated rule sets of 300 and 1,000 rules with ≥300
// terms and ≥50 regexes, one core), or both (the default).
import Foundation
import TonchiCore
import TonchiEvaluate
import TonchiExtract
import TonchiMatch
import TonchiNormalize
import TonchiRules

let targetBytes = (Int(ProcessInfo.processInfo.environment["BENCH_MB"] ?? "") ?? 200) << 20

func sharedFolder() -> URL {
    if let path = ProcessInfo.processInfo.environment["TONCHI_SHARED"] { return URL(fileURLWithPath: path) }
    return URL(fileURLWithPath: FileManager.default.currentDirectoryPath).deletingLastPathComponent().appendingPathComponent("shared")
}

struct Article { let title: String; let body: String; let url: String }

func articles() -> [Article] {
    let folder = sharedFolder().appendingPathComponent("corpus/articles")
    var records: [Article] = []
    for name in ["dantri-10cat.jsonl", "baomoi-aggregator.jsonl", "danes-unlabeled-516-domains.jsonl"] {
        guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) else {
            FileHandle.standardError.write(Data("tonchi-bench: \(folder.path)/\(name) is missing (set TONCHI_SHARED)\n".utf8))
            exit(2)
        }
        for line in data.split(separator: UInt8(ascii: "\n")) {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else { continue }
            let title = object["title"] as? String ?? "", body = object["body"] as? String ?? ""
            if title.isEmpty && body.isEmpty { continue }
            let url = object["url"] as? String ?? "http://vidu.example.vn/bai-\(records.count).html"
            records.append(Article(title: title, body: body, url: url))
        }
    }
    return records
}

/// Two-word phrases of the corpus that occur, but not in every article (ranks past the most
/// frequent ones), as a real rule pack's terms do.
func phrases(in texts: [String], count: Int, skippingMostFrequent skip: Int = 3000) -> [String] {
    var frequency: [String: Int] = [:]
    for text in texts.prefix(3000) {
        let words = Vietnamese.normalize(text).split(whereSeparator: { !$0.isLetter })
        for i in 1..<max(1, words.count) where words[i - 1].count > 1 && words[i].count > 1 {
            frequency[words[i - 1] + " " + words[i], default: 0] += 1
        }
    }
    return frequency.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.dropFirst(skip).prefix(count).map(\.key)
}

/// Rules in the shape of the real packs: two phrases that must both occur (many documents hold a
/// candidate literal, few satisfy the condition), every sixth with a regex; two terms per rule.
func ruleSource(rules: Int, phrases: [String]) -> String {
    var out = ""
    for r in 0..<rules {
        func list(_ offset: Int) -> String { "\"\(phrases[(r * 2 + offset) % phrases.count])\"" }
        let phrase = phrases[(r * 2) % phrases.count]
        out += """
        rule bench.r\(r) {
          title "Quy tắc đo \(r)"
          message "{match}"
          severity low
          criterion "bench"
          cites ND119-2020/D20
          applies tap-chi-dien-tu
          terms $t = \(list(0))
          terms $u = \(list(1))

        """
        if r % 6 == 0 {
            out += "  regex $r = `\\b\(phrase)\\s+\\p{L}+\\b`\n  when $t and $u and #$r >= 1\n}\n"
        } else {
            out += "  when $t and $u\n}\n"
        }
    }
    return out
}

func peakRSSMiB() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
          let kib = Double(line.split(separator: " ").dropFirst().first ?? "") else { return -1 }
    return kib / 1024
}

func seconds(_ body: () -> Void) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

let mode = CommandLine.arguments.dropFirst().first ?? "all"
let records = articles()
if mode == "scan" || mode == "all" {
    let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("tonchi").path
    let sizes = ProcessInfo.processInfo.environment["BENCH_SCAN_MB"].map { $0.split(separator: ",").compactMap { Int($0) } } ?? [100, 300]
    ScanBench(articles: records.map { ($0.title, $0.body, $0.url) }, tonchi: binary,
              folder: FileManager.default.temporaryDirectory).run(sizesMB: sizes)
}
if mode == "scan" { exit(0) }
let texts = records.map { [$0.title, $0.body].filter { !$0.isEmpty }.joined(separator: "\n\n") }
let documents = texts.map { Extractor.extract(Array($0.utf8), format: .plainText) }
let corpusBytes = documents.reduce(0) { $0 + $1.source.count }
let rounds = (targetBytes + corpusBytes - 1) / corpusBytes
let scaled = Double(corpusBytes * rounds) / 1_048_576
print(String(format: "corpus: %d articles, %.1f MB, repeated %d× = %.0f MB per measurement", documents.count, Double(corpusBytes) / 1_048_576, rounds, scaled))

let catalogText = try String(contentsOfFile: "Rules/legal/catalog.yaml", encoding: .utf8)
var catalog = LegalCatalog()
_ = catalog.load(yaml: catalogText, file: "catalog.yaml")
let vocabulary = phrases(in: texts, count: 4000)
let context = CheckContext(kind: .tapChiDienTu, scanDate: Day(year: 2025, month: 1, day: 1)!)

var matcherTimes: [Int: Double] = [:]
let ruleCounts = ProcessInfo.processInfo.environment["BENCH_RULES"].map { $0.split(separator: ",").compactMap { Int($0) } } ?? [300, 1000]
for ruleCount in ruleCounts {
    let ruleSet = RuleCompiler.compile([.init(path: "bench.rules", text: ruleSource(rules: ruleCount, phrases: vocabulary))], catalog: catalog)
    let terms = ruleSet.documentRules.count * 2
    let regexes = ruleSet.documentRules.filter { $0.selections.count == 3 }.count
    precondition(ruleSet.errors.isEmpty, "\(ruleSet.errors.first!)")
    let evaluator = Evaluator(ruleSet: ruleSet)
    let views = documents.map { PreparedDocument.views(of: $0, for: ruleSet.database) }
    var findings = 0
    let matchTime = seconds {
        for _ in 0..<rounds {
            for (document, view) in zip(documents, views) {
                let prepared = PreparedDocument(name: "", extracted: document, normalized: view.normalized,
                                                diacriticFree: view.diacriticFree, database: ruleSet.database)
                findings += evaluator.evaluate(prepared, context: context).findings.count
            }
        }
    }
    // The prefilter alone (one Aho–Corasick pass per document), to show where matcher time goes.
    let prefilterTime = seconds {
        for _ in 0..<rounds {
            for view in views {
                findings &+= DocumentScan(database: ruleSet.database, normalized: view.normalized.bytes, diacriticFree: nil)
                    .patternsWithCandidates().count & 0
            }
        }
    }
    let endToEnd = seconds {
        for _ in 0..<rounds {
            for document in documents {
                let prepared = PreparedDocument(name: "", extracted: document, database: ruleSet.database)
                _ = evaluator.evaluate(prepared, context: context)
            }
        }
    }
    matcherTimes[ruleCount] = matchTime
    print(String(format: "%4d rules (%d terms, %d regexes): matcher %.0f MB/s (its literal prefilter alone %.0f MB/s), normalize+match %.0f MB/s per core; %.1f findings per MB",
                 ruleCount, terms, regexes, scaled / matchTime, scaled / prefilterTime, scaled / endToEnd, Double(findings) / scaled))
}
if let small = matcherTimes[300], let large = matcherTimes[1000] {
    print(String(format: "1,000 rules cost %.2f× the time of 300 (target < 1.5×)", large / small))
}
print(String(format: "peak RSS: %.0f MiB", peakRSSMiB()))
