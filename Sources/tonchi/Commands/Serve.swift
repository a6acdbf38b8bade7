import ArgumentParser
import Foundation
import TonchiCore
import TonchiServer

/// `tonchi serve`: the pre-publication check over HTTP (docs/openapi.yaml, docs/pre-publication.md).
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the pre-publication check over HTTP: POST /v1/check, LanguageTool-compatible POST /v2/check, GET /healthz, GET /metrics.")

    @Option(help: "Address to bind. Anything but loopback (127.0.0.0/8, ::1, localhost) needs --token.")
    var host = "127.0.0.1"

    @Option(help: "Port (0: any free port; the one chosen is printed).")
    var port = 8787

    @Option(help: "Bearer token every check must carry (Authorization: Bearer TOKEN). Also read from TONCHI_TOKEN.")
    var token: String?

    @Option(help: "Folder of charter files (YAML); a request names one by file name without extension.")
    var charters: String?

    @Option(help: "Publication kind for requests that give neither kind nor charter (LanguageTool clients send none).")
    var kind: PublicationKind?

    @Option(name: .customLong("max-body-bytes"), help: "Largest request body accepted (413 above).")
    var maxBodyBytes = 1 << 20

    @Option(name: .customLong("time-budget-ms"), help: "Per-request time budget in milliseconds, waiting included (503 past it).")
    var timeBudgetMs = 5000

    @Option(help: "Checks run at once (default: all cores).")
    var workers = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .customLong("queue-limit"), help: "Checks allowed to wait for a worker; more are refused with 503.")
    var queueLimit = 256

    @OptionGroup var ruleOptions: RuleOptions

    func run() throws {
        var options = ServerOptions()
        options.host = host
        options.port = port
        options.token = token ?? ProcessInfo.processInfo.environment["TONCHI_TOKEN"]
        options.maxBodyBytes = maxBodyBytes
        options.timeBudget = .milliseconds(timeBudgetMs)
        options.workers = workers
        options.queueLimit = queueLimit
        do { try options.validate() } catch {
            printError("tonchi: \(error.message)")
            throw ExitStatus.usage.exitCode
        }
        // Compiled once, shared read-only by every request.
        let ruleSet = try ruleOptions.load()
        let service: CheckService
        do {
            service = try CheckService(ruleSet: ruleSet, chartersDirectory: charters, defaultKind: kind, version: Tonchi.version)
        } catch let error as APIError {
            printError("tonchi: \(error.message)")
            throw ExitStatus.usage.exitCode
        } catch {
            printError("tonchi: --charters \(charters ?? ""): \(error)")
            throw ExitStatus.usage.exitCode
        }
        let failure = ServeFailure()
        let done = DispatchSemaphore(value: 0)
        Task {
            do {
                try await TonchiHTTPServer.run(service: service, options: options) { host, port in
                    let shown = host.contains(":") ? "[\(host)]" : host
                    print("tonchi serve: listening on http://\(shown):\(port) (\(ruleSet.rules.count) rules, \(service.charters.count) charters)")
                    fflush(stdout)
                }
            } catch {
                failure.set("\(error)")
            }
            done.signal()
        }
        done.wait()
        if let message = failure.message {
            printError("tonchi: serve: \(message)")
            throw ExitStatus.usage.exitCode
        }
    }
}

private final class ServeFailure: @unchecked Sendable {
    private let lock = NSLock()
    private var value: String?
    func set(_ message: String) { lock.lock(); value = message; lock.unlock() }
    var message: String? { lock.lock(); defer { lock.unlock() }; return value }
}
