import ArgumentParser
import Foundation
import TonchiCore
import TonchiServer
import TonchiWeb

/// `tonchi serve`: the pre-publication check over HTTP (docs/openapi.yaml, docs/pre-publication.md)
/// and, given a history store and an uploads folder, the inspectors' web app (docs/web.md).
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the check API (POST /v1/check, LanguageTool-compatible POST /v2/check, GET /healthz, GET /metrics) and, with --store and --uploads, the inspectors' web app.")

    @Option(help: "Address to bind. Anything but loopback (127.0.0.0/8, ::1, localhost) needs --token, and cannot serve the web app.")
    var host = "127.0.0.1"

    @Option(help: "Port (0: any free port; the one chosen is printed).")
    var port = 8787

    @Option(help: "Bearer token every check must carry (Authorization: Bearer TOKEN). Also read from TONCHI_TOKEN.")
    var token: String?

    @Option(help: "Folder of charter files (YAML); a request names one by file name without extension, the web app offers them.")
    var charters: String?

    @Option(help: "Publication kind for requests that give neither kind nor charter (LanguageTool clients send none).")
    var kind: PublicationKind?

    @Option(name: .customLong("max-body-bytes"), help: "Largest check request body accepted (413 above).")
    var maxBodyBytes = 1 << 20

    @Option(name: .customLong("time-budget-ms"), help: "Per-request time budget in milliseconds, waiting included (503 past it).")
    var timeBudgetMs = 5000

    @Option(help: "Checks run at once (default: all cores).")
    var workers = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .customLong("queue-limit"), help: "Checks allowed to wait for a worker; more are refused with 503.")
    var queueLimit = 256

    @Option(help: "Web app: the history store (SQLite file, created if missing). Needs --uploads.")
    var store: String?

    @Option(help: "Web app: folder for uploads, jobs and created charters (never served as files). Needs --store.")
    var uploads: String?

    @Option(name: .customLong("max-upload-bytes"), help: "Web app: largest upload accepted, in bytes.")
    var maxUploadBytes = 200 << 20

    @Option(name: .customLong("concurrent-scans"), help: "Web app: scans run at once (1 or 2).")
    var concurrentScans = 1

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
        guard (store == nil) == (uploads == nil) else {
            printError("tonchi: the web app needs both --store and --uploads")
            throw ExitStatus.usage.exitCode
        }
        // The web app has sessions but no logins: it stays on loopback (behind an authenticating proxy).
        if store != nil, !ServerOptions.isLoopback(host) {
            printError("tonchi: the web app has no logins; serve it on loopback, behind a proxy that authenticates (docs/web.md)")
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
        var web: WebApp?
        if let store, let uploads {
            do {
                web = try WebApp(WebConfiguration(storePath: store, uploadsDirectory: uploads, maxUploadBytes: maxUploadBytes,
                                                  chartersDirectory: charters, ruleSet: ruleSet, classifier: service.classifier,
                                                  concurrentScans: min(2, max(1, concurrentScans)), toolVersion: Tonchi.version))
            } catch {
                printError("tonchi: \(error)")
                throw ExitStatus.usage.exitCode
            }
        }
        let failure = ServeFailure()
        let done = DispatchSemaphore(value: 0)
        let served = web == nil ? "" : ", web app"
        Task { [web] in
            do {
                try await TonchiHTTPServer.run(service: service, options: options, addRoutes: { web?.addRoutes(to: $0) }) { host, port in
                    let shown = host.contains(":") ? "[\(host)]" : host
                    print("tonchi serve: listening on http://\(shown):\(port)/ (\(ruleSet.rules.count) rules, \(service.charters.count) charters\(served))")
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
