import Foundation
import Hummingbird
import Metrics
import Prometheus
import TonchiCore

/// How `tonchi serve` runs. The defaults are the safe ones: loopback only, small bodies, a time
/// budget per request, a bounded number of checks at once.
public struct ServerOptions: Sendable {
    public var host = "127.0.0.1"
    public var port = 8787
    /// Required to bind anything but a loopback address; then every check needs `Authorization: Bearer TOKEN`.
    public var token: String?
    public var maxBodyBytes = 1 << 20
    /// Per-request budget, waiting for a worker included.
    public var timeBudget: Duration = .seconds(5)
    /// Checks run at once (worker threads).
    public var workers = ProcessInfo.processInfo.activeProcessorCount
    /// Checks waiting for a worker beyond which requests are refused with 503.
    public var queueLimit = 256

    public init() {}

    /// A loopback address: 127.0.0.0/8, ::1 or localhost.
    public static func isLoopback(_ host: String) -> Bool {
        let h = host.lowercased()
        return h == "localhost" || h == "::1" || h == "[::1]" || h.hasPrefix("127.")
    }

    /// Refuses to expose the server beyond this machine without a token.
    public func validate() throws(APIError) {
        if !Self.isLoopback(host) && (token ?? "").isEmpty {
            throw APIError(2, "unsafe-bind", "refusing to bind non-loopback address \(host) without --token")
        }
        guard maxBodyBytes > 0, workers > 0, queueLimit >= 0 else {
            throw APIError(2, "invalid-option", "--max-body-bytes and --workers must be positive, --queue-limit not negative")
        }
    }
}

/// Runs checks on a fixed pool of threads, never on the event loops or the concurrency pool, and
/// answers within the time budget (503 when the budget runs out or too many checks are waiting).
final class WorkerPool: @unchecked Sendable {
    private let queue = OperationQueue()
    private let lock = NSLock()
    private var pending = 0
    private let capacity: Int
    let inFlight: Prometheus.Gauge

    init(workers: Int, queueLimit: Int, inFlight: Prometheus.Gauge) {
        queue.maxConcurrentOperationCount = workers
        queue.qualityOfService = .userInitiated
        capacity = workers + queueLimit
        self.inFlight = inFlight
    }

    enum Outcome<T: Sendable>: Sendable { case done(T), timedOut, busy }

    /// Resumes its continuation once, from whichever comes first: the work or the budget.
    private final class Once<T: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var continuation: CheckedContinuation<Outcome<T>, Never>?
        private(set) var settled = false
        init(_ c: CheckedContinuation<Outcome<T>, Never>) { continuation = c }
        func resume(_ value: Outcome<T>) {
            lock.lock()
            let c = continuation
            continuation = nil
            settled = true
            lock.unlock()
            c?.resume(returning: value)
        }
        var isSettled: Bool { lock.lock(); defer { lock.unlock() }; return settled }
    }

    private func acquire() -> Bool {
        lock.lock(); defer { lock.unlock() }
        guard pending < capacity else { return false }
        pending += 1
        inFlight.set(to: Double(pending))
        return true
    }

    private func release() {
        lock.lock(); defer { lock.unlock() }
        pending -= 1
        inFlight.set(to: Double(pending))
    }

    func run<T: Sendable>(budget: Duration, _ work: @escaping @Sendable () -> T) async -> Outcome<T> {
        guard acquire() else { return .busy }
        return await withCheckedContinuation { continuation in
            let once = Once(continuation)
            queue.addOperation { [self] in
                // Budget spent waiting for a worker: do not start work nobody waits for.
                if !once.isSettled { once.resume(.done(work())) }
                release()
            }
            let (seconds, attoseconds) = budget.components
            let nanoseconds = Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
            DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(nanoseconds)) { once.resume(.timedOut) }
        }
    }
}

/// The HTTP API (docs/openapi.yaml).
public enum TonchiHTTPServer {
    /// `addRoutes` lets the caller serve more on the same port (the inspectors' web app).
    public static func run(service: CheckService, options: ServerOptions, addRoutes: (Router<BasicRequestContext>) -> Void = { _ in },
                           onListening: @escaping @Sendable (String, Int) -> Void) async throws {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let metrics = APIMetrics(registry: registry)
        let pool = WorkerPool(workers: options.workers, queueLimit: options.queueLimit, inFlight: metrics.inFlight)

        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: JSONErrorMiddleware())
        router.get("/healthz") { _, _ in
            json(200, HealthBody(status: "ok", version: service.version, rules: service.ruleSet.rules.count,
                                 rulesHash: service.ruleSet.sourceHash, charters: service.charters.keys.sorted()))
        }
        router.get("/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
        router.get("/v2/languages") { _, _ in
            json(200, [["name": "Vietnamese", "code": "vi", "longCode": "vi-VN"]])
        }
        router.post("/v1/check") { request, _ in
            await handle(request, endpoint: "v1", options: options, metrics: metrics) { body, _ in
                let input = try V1API.parse(body)
                return try await check(input, service: service, pool: pool, options: options, metrics: metrics, endpoint: "v1") { outcome in
                    json(200, V1API.response(outcome, source: input.source, failOn: input.failOn, service: service))
                }
            }
        }
        router.post("/v2/check") { request, _ in
            await handle(request, endpoint: "v2", options: options, metrics: metrics) { body, query in
                let fields = LanguageToolAPI.formFields(body, query: query)
                try LanguageToolAPI.checkLanguage(fields["language"])
                let document = try LanguageToolAPI.document(fields)
                var input = CheckInput(source: document.checked, format: .plainText)
                if let kind = fields["kind"] {
                    guard let known = PublicationKind(rawValue: kind) else {
                        throw APIError(400, "unknown-kind", "unknown publication kind '\(kind)'; known: \(PublicationKind.allCases.map(\.rawValue).joined(separator: ", "))", field: "kind")
                    }
                    input.kind = known
                }
                if let charter = fields["charter"], !charter.isEmpty { input.charter = .stored(charter) }
                if let date = fields["date"] {
                    guard let day = Day(date) else { throw APIError(400, "invalid-field", "expected a date YYYY-MM-DD, found '\(date)'", field: "date") }
                    input.date = day
                }
                return try await check(input, service: service, pool: pool, options: options, metrics: metrics, endpoint: "v2") { outcome in
                    json(200, LanguageToolAPI.response(outcome, document: document, version: service.version))
                }
            }
        }

        addRoutes(router)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: "tonchi/\(service.version)"),
            onServerRunning: { channel in onListening(options.host, channel.localAddress?.port ?? options.port) })
        try await app.runService()
    }

    /// Auth, body cap and error mapping shared by the check endpoints.
    static func handle(_ request: Request, endpoint: String, options: ServerOptions, metrics: APIMetrics,
                       _ body: @Sendable ([UInt8], String?) async throws -> Response) async -> Response {
        do {
            if let token = options.token, !token.isEmpty {
                let given = request.headers[.authorization] ?? ""
                guard constantTimeEqual(given, "Bearer " + token) else {
                    throw APIError(401, "unauthorized", "this server needs 'Authorization: Bearer TOKEN'")
                }
            }
            if let length = request.headers[.contentLength].flatMap(Int.init), length > options.maxBodyBytes {
                throw APIError(413, "too-large", "the body is \(length) bytes; this server accepts at most \(options.maxBodyBytes)")
            }
            let buffer: ByteBuffer
            do { buffer = try await request.body.collect(upTo: options.maxBodyBytes) } catch {
                throw APIError(413, "too-large", "the body is over \(options.maxBodyBytes) bytes, the most this server accepts")
            }
            let bytes = Array(buffer.readableBytesView)
            if endpoint == "v1", let type = request.headers[.contentType]?.lowercased(), !type.hasPrefix("application/json"), !type.contains("+json") {
                throw APIError(415, "unsupported-media-type", "send the request as application/json, not \(type)")
            }
            return try await body(bytes, request.uri.query)
        } catch let error as APIError {
            metrics.rejected(endpoint: endpoint, code: error.code)
            var headers: HTTPFields = [:]
            if error.status == 503 { headers[.retryAfter] = "1" }
            return json(error.status, ErrorBody(error: error), headers: headers)
        } catch {
            metrics.rejected(endpoint: endpoint, code: "internal")
            return json(500, ErrorBody(error: APIError(500, "internal", "\(error)")))
        }
    }

    static func check(_ input: CheckInput, service: CheckService, pool: WorkerPool, options: ServerOptions, metrics: APIMetrics,
                      endpoint: String, respond: (CheckOutcome) -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let today = Day.today
        let outcome = await pool.run(budget: options.timeBudget) { () -> Result<CheckOutcome, APIError> in
            do { return .success(try service.check(input, today: today)) } catch let error as APIError { return .failure(error) } catch { return .failure(APIError(500, "internal", "\(error)")) }
        }
        switch outcome {
        case .busy: throw APIError(503, "busy", "too many checks waiting; retry later")
        case .timedOut: throw APIError(503, "time-budget-exceeded", "the check did not finish within \(options.timeBudget)")
        case .done(.failure(let error)): throw error
        case .done(.success(let result)):
            metrics.checked(endpoint: endpoint, outcome: result, duration: ContinuousClock.now - started)
            return respond(result)
        }
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        var diff = x.count ^ y.count
        for i in 0..<min(x.count, y.count) { diff |= Int(x[i] ^ y[i]) }
        return diff == 0
    }

    struct HealthBody: Encodable { let status: String; let version: String; let rules: Int; let rulesHash: String; let charters: [String] }

    struct ErrorBody: Encodable {
        let error: APIError
        enum CodingKeys: String, CodingKey { case error }
        struct Inner: Encodable { let code: String; let message: String; let field: String? }
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(Inner(code: error.code, message: error.message, field: error.field), forKey: .error)
        }
    }

    static func json<T: Encodable>(_ status: Int, _ value: T, headers: HTTPFields = [:]) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: .init(code: status), headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// Router errors (unknown path, wrong method) as the same JSON error body as the API's own.
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPResponseError {
            let status = error.status
            let code = status == .notFound ? "not-found" : status == .methodNotAllowed ? "method-not-allowed" : "http-\(status.code)"
            let message = status == .notFound ? "no such endpoint \(request.method) \(request.uri.path); see docs/openapi.yaml"
                : "\(status.code) \(status.reasonPhrase) for \(request.method) \(request.uri.path)"
            return TonchiHTTPServer.json(status.code, TonchiHTTPServer.ErrorBody(error: APIError(status.code, code, message)))
        }
    }
}

/// The server's own Prometheus series (beside the HTTP ones MetricsMiddleware records).
final class APIMetrics: Sendable {
    let registry: PrometheusCollectorRegistry
    let inFlight: Prometheus.Gauge
    let duration: DurationHistogram

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        inFlight = registry.makeGauge(name: "tonchi_checks_in_flight", help: "Checks running or waiting for a worker")
        duration = registry.makeDurationHistogram(
            name: "tonchi_check_duration_seconds",
            buckets: [.milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(20), .milliseconds(50),
                      .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5)],
            help: "Time to answer a check, waiting for a worker included")
    }

    func checked(endpoint: String, outcome: CheckOutcome, duration: Duration) {
        registry.makeCounter(name: "tonchi_checks_total", labels: [("endpoint", endpoint), ("verdict", outcome.verdict.rawValue)],
                             help: "Checks answered, by endpoint and verdict").increment()
        let findings = outcome.result.findings.count
        if findings > 0 {
            registry.makeCounter(name: "tonchi_findings_total", labels: [("endpoint", endpoint)], help: "Findings reported").increment(by: Int64(findings))
        }
        self.duration.record(duration)
    }

    func rejected(endpoint: String, code: String) {
        registry.makeCounter(name: "tonchi_rejected_total", labels: [("endpoint", endpoint), ("code", code)],
                             help: "Requests refused, by error code").increment()
    }
}
