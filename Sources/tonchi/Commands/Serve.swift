import ArgumentParser
import Foundation
import Hummingbird
import TonchiWeb

/// `tonchi serve`: the inspectors' web app (docs/web.md) over HTTP. Kept small: it builds the
/// router, lets `WebApp` add its pages, and runs the Hummingbird application until SIGINT/SIGTERM.
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the inspectors' web app: upload a dump, scan it, read the report, review findings (docs/web.md).")

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0: any free port, printed on standard error).")
    var port = 8080

    @Option(help: "History store (SQLite file, created if missing).")
    var store: String

    @Option(help: "Folder for uploads, jobs and created charters (never served as files).")
    var uploads: String

    @Option(name: .customLong("max-upload-bytes"), help: "Largest upload accepted, in bytes.")
    var maxUploadBytes = 200 << 20

    @Option(help: "Folder of charters (*.yaml) inspectors can pick from.")
    var charters: String?

    @Option(name: .customLong("concurrent-scans"), help: "Scans run at once (1 or 2).")
    var concurrentScans = 1

    @Option(name: .long, help: "Rules directory (default: the rules bundled with tonchi).")
    var rules: String?

    func run() throws {
        let web: WebApp
        do {
            web = try WebApp(WebConfiguration(storePath: store, uploadsDirectory: uploads, maxUploadBytes: maxUploadBytes,
                                              chartersDirectory: charters, rulesDirectory: rules,
                                              concurrentScans: min(2, max(1, concurrentScans)), toolVersion: Tonchi.version))
        } catch {
            printError("tonchi: \(error)")
            throw ExitStatus.usage.exitCode
        }
        let router = Router()
        web.addRoutes(to: router)
        let host = self.host
        let app = Application(router: router, configuration: .init(address: .hostname(host, port: port), serverName: "tonchi"),
                              onServerRunning: { channel in
                                  printError("tonchi serve: listening on http://\(host):\(channel.localAddress?.port ?? 0)/")
                              })
        let done = DispatchSemaphore(value: 0)
        let failure = FailureBox()
        Task {
            do { try await app.runService() } catch { failure.error = error }
            done.signal()
        }
        done.wait()
        if let error = failure.error {
            printError("tonchi serve: \(error)")
            throw ExitStatus.usage.exitCode
        }
    }
}

private final class FailureBox: @unchecked Sendable {
    var error: Error?
}
