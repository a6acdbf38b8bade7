import ArgumentParser
import Foundation
import TonchiReport

/// `tonchi verify MANIFEST`: re-checks a report's manifest against the files on disk.
struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Re-check an integrity manifest (written with --manifest): the report, the inputs and every evidence item.",
        discussion: "Exit codes: 0 everything matches; 1 something differs or is missing; 2 the manifest cannot be read.")

    @Argument(help: "The manifest file (tonchi.manifest/1).")
    var manifest: String

    @Flag(help: "Print only what differs or is missing.")
    var quiet = false

    func run() throws {
        guard let data = FileManager.default.contents(atPath: manifest) else {
            printError("tonchi: cannot read \(manifest)")
            throw ExitStatus.usage.exitCode
        }
        let loaded: Manifest
        do { loaded = try JSONDecoder().decode(Manifest.self, from: data) } catch {
            printError("tonchi: \(manifest) is not a tonchi manifest: \(error)")
            throw ExitStatus.usage.exitCode
        }
        guard loaded.schema == Manifest.schema else {
            printError("tonchi: \(manifest): schema \(loaded.schema), expected \(Manifest.schema)")
            throw ExitStatus.usage.exitCode
        }
        let lines = ManifestVerifier.verify(loaded, manifestPath: manifest)
        for line in lines where !quiet || line.status == .differs || line.status == .missing { print(line.text) }
        let bad = lines.filter { $0.status == .differs || $0.status == .missing }
        let skipped = lines.filter { $0.status == .skipped }.count
        print("\(lines.count - bad.count - skipped) ok, \(bad.count) differ or missing\(skipped > 0 ? ", \(skipped) skipped" : "")")
        if !bad.isEmpty { throw ExitStatus.findings.exitCode }
    }
}
