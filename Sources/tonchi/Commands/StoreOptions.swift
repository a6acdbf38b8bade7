import ArgumentParser
import Foundation
import TonchiHistory

/// The history store option the history commands share: `--store PATH`, else `$TONCHI_STORE`.
struct StoreOptions: ParsableArguments {
    @Option(name: .customLong("store"), help: "The scan history store (an SQLite file; default: $TONCHI_STORE).")
    var path: String?

    var resolved: String? {
        if let path { return path }
        if let env = ProcessInfo.processInfo.environment["TONCHI_STORE"], !env.isEmpty { return env }
        return nil
    }

    /// Opens the store, or exits 2 with the reason; `create` false refuses a missing file.
    func open(create: Bool) throws -> HistoryStore {
        guard let path = resolved else {
            printError("tonchi: give --store PATH (or set TONCHI_STORE)")
            throw ExitStatus.usage.exitCode
        }
        return try openStore(path: path, create: create)
    }
}

func openStore(path: String, create: Bool) throws -> HistoryStore {
    do { return try HistoryStore(path: path, create: create) } catch {
        printError("tonchi: \(error)")
        throw ExitStatus.usage.exitCode
    }
}
