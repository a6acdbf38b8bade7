// Matcher benchmark: corpus articles scaled to ≥200 MB, generated rule sets of 300 and 1,000 rules
// (≥300 terms, ≥50 regexes), single-threaded figures per core, and peak RSS.
import Foundation
import TonchiCore
import TonchiEvaluate
import TonchiExtract
import TonchiNormalize
import TonchiRules

let targetBytes = (Int(ProcessInfo.processInfo.environment["BENCH_MB"] ?? "") ?? 200) << 20

func sharedFolder() -> URL {
    if let path = ProcessInfo.processInfo.environment["TONCHI_SHARED"] { return URL(fileURLWithPath: path) }
    return URL(fileURLWithPath: FileManager.default.currentDirectoryPath).deletingLastPathComponent().appendingPathComponent("shared")
}

func articles() -> [String] {
    let folder = sharedFolder().appendingPathComponent("corpus/articles")
    var bodies: [String] = []
    for name in ["dantri-10cat.jsonl", "baomoi-aggregator.jsonl", "danes-unlabeled-516-domains.jsonl"] {
        guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) else {
            FileHandle.standardError.write(Data("tonchi-bench: \(folder.path)/\(name) is missing (set TONCHI_SHARED)\n".utf8))
            exit(2)
        }
        for line in data.split(separator: UInt8(ascii: "\n")) {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else { continue }
            let text = [object["title"], object["body"]].compactMap { $0 as? String }.joined(separator: "\n\n")
            if !text.isEmpty { bodies.append(text) }
        }
    }
    return bodies
}

/// Frequent two-word phrases of the corpus: realistic terms that do occur.
func phrases(in texts: [String], count: Int) -> [String] {
    var frequency: [String: Int] = [:]
    for text in texts.prefix(3000) {
        let words = Vietnamese.normalize(text).split(whereSeparator: { !$0.isLetter })
        for i in 1..<max(1, words.count) where words[i - 1].count > 1 && words[i].count > 1 {
            frequency[words[i - 1] + " " + words[i], default: 0] += 1
        }
    }
    return frequency.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(count).map(\.key)
}

func ruleSource(rules: Int, phrases: [String]) -> String {
    var out = ""
    for r in 0..<rules {
        let terms = (0..<3).map { "\"\(phrases[(r * 3 + $0) % phrases.count])\"" }.joined(separator: ", ")
        let first = phrases[r % phrases.count].split(separator: " ")
        let isRegex = r % 6 == 0
        out += """
        rule bench.r\(r) {
          title "Quy tắc đo \(r)"
          message "{match}"
          severity low
          criterion "bench"
          cites ND119-2020/D20
          applies tap-chi-dien-tu
          terms $t = \(terms)

        """
        if isRegex {
            out += "  regex $r = `\\b\(first[0])\\s+\(first.last!)\\s+\\p{L}+\\b`\n  when $t and #$r >= 1\n}\n"
        } else {
            out += "  when #$t >= 2\n}\n"
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

let texts = articles()
let documents = texts.map { Extractor.extract(Array($0.utf8), format: .plainText) }
let corpusBytes = documents.reduce(0) { $0 + $1.source.count }
let rounds = (targetBytes + corpusBytes - 1) / corpusBytes
let scaled = Double(corpusBytes * rounds) / 1_048_576
print(String(format: "corpus: %d articles, %.1f MB, repeated %d× = %.0f MB per measurement", documents.count, Double(corpusBytes) / 1_048_576, rounds, scaled))

let catalogText = try String(contentsOfFile: "Rules/legal/catalog.yaml", encoding: .utf8)
var catalog = LegalCatalog()
_ = catalog.load(yaml: catalogText, file: "catalog.yaml")
let vocabulary = phrases(in: texts, count: 3000)
let context = CheckContext(kind: .tapChiDienTu, scanDate: Day(year: 2025, month: 1, day: 1)!)

var matcherTimes: [Int: Double] = [:]
for ruleCount in [300, 1000] {
    let ruleSet = RuleCompiler.compile([.init(path: "bench.rules", text: ruleSource(rules: ruleCount, phrases: vocabulary))], catalog: catalog)
    let terms = ruleSet.documentRules.count * 3
    let regexes = ruleSet.documentRules.filter { $0.selections.count == 2 }.count
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
    let endToEnd = seconds {
        for _ in 0..<rounds {
            for document in documents {
                let prepared = PreparedDocument(name: "", extracted: document, database: ruleSet.database)
                _ = evaluator.evaluate(prepared, context: context)
            }
        }
    }
    matcherTimes[ruleCount] = matchTime
    print(String(format: "%4d rules (%d terms, %d regexes): matcher %.0f MB/s, normalize+match %.0f MB/s per core; %d findings",
                 ruleCount, terms, regexes, scaled / matchTime, scaled / endToEnd, findings))
}
print(String(format: "1,000 rules cost %.2f× the time of 300 (target < 1.5×)", matcherTimes[1000]! / matcherTimes[300]!))
print(String(format: "peak RSS: %.0f MiB", peakRSSMiB()))
