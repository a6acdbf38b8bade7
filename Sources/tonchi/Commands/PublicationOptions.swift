import ArgumentParser
import TonchiCharter
import TonchiCore

/// `--charter` and `--kind`, shared by `check` and `scan`: the kind comes from the charter unless given.
struct PublicationOptions: ParsableArguments {
    @Option(help: "The publication's charter (YAML, see docs/charter.md): gives its kind, and articles are held against its topics.")
    var charter: String?

    @Option(help: "Publication kind: \(PublicationKind.allCases.map(\.rawValue).joined(separator: ", ")); default: the charter's.")
    var kind: PublicationKind?

    /// The charter (if any) and the kind to check as; exits 2 on a bad charter or when neither gives a kind.
    func resolve() throws -> (charter: Charter?, kind: PublicationKind) {
        var loaded: Charter?
        if let charter {
            do { loaded = try Charter.load(path: charter) } catch {
                printError("tonchi: \(error)")
                throw ExitStatus.usage.exitCode
            }
        }
        guard let kind = kind ?? loaded?.kind else {
            printError("tonchi: give --charter FILE or --kind KIND")
            throw ExitStatus.usage.exitCode
        }
        return (loaded, kind)
    }
}
