import Foundation
import Hummingbird
import TonchiCharter
import TonchiCore
import TonchiEvaluate
import TonchiExtract
import TonchiHistory
import TonchiIngest
import TonchiReport
import TonchiRules
import TonchiScan

/// Settings of the inspectors' web app.
public struct WebConfiguration: Sendable {
    /// The history store (SQLite file; created when missing).
    public var storePath: String
    /// Where uploads, jobs, created charters and the session secret live. Never served as files.
    public var uploadsDirectory: String
    /// Largest upload accepted (bytes of the file; the request may be a little larger).
    public var maxUploadBytes: Int
    /// A folder of charters (`*.yaml`) to pick from, read-only.
    public var chartersDirectory: String?
    /// The compiled rules and their topic classifier, loaded once by the server and shared with its API.
    public var ruleSet: RuleSet
    public var classifier: TopicClassifier?
    /// Scans run at once, and threads per scan.
    public var concurrentScans: Int
    public var scanThreads: Int
    /// tonchi's version, written in reports and the store.
    public var toolVersion: String

    public init(storePath: String, uploadsDirectory: String, maxUploadBytes: Int = 200 << 20, chartersDirectory: String? = nil,
                ruleSet: RuleSet, classifier: TopicClassifier?, concurrentScans: Int = 1,
                scanThreads: Int = ProcessInfo.processInfo.activeProcessorCount, toolVersion: String) {
        self.storePath = storePath; self.uploadsDirectory = uploadsDirectory; self.maxUploadBytes = maxUploadBytes
        self.chartersDirectory = chartersDirectory; self.ruleSet = ruleSet; self.classifier = classifier
        self.concurrentScans = concurrentScans; self.scanThreads = scanThreads; self.toolVersion = toolVersion
    }
}

public struct WebError: Error, CustomStringConvertible {
    public let description: String
}

/// The inspectors' web app: Vietnamese pages, plain HTML forms (no script), served by `tonchi serve`.
/// `addRoutes(to:)` registers its pages on a Hummingbird router; scans run in the background
/// (`ScanRunner`) from the moment the app is made. Routes: docs/web.md.
public final class WebApp: @unchecked Sendable {
    public let configuration: WebConfiguration
    let store: HistoryStore
    let ruleSet: RuleSet
    let classifier: TopicClassifier?
    let jobs: JobStore
    let charters: CharterLibrary
    let runner: ScanRunner
    let uploads: URL
    let secret: String

    public init(_ configuration: WebConfiguration) throws {
        self.configuration = configuration
        let fm = FileManager.default
        uploads = URL(fileURLWithPath: configuration.uploadsDirectory).standardizedFileURL
        try fm.createDirectory(at: uploads, withIntermediateDirectories: true)
        try fm.createDirectory(at: uploads.appendingPathComponent("tmp"), withIntermediateDirectories: true)
        do { store = try HistoryStore(path: configuration.storePath) } catch { throw WebError(description: "\(error)") }
        ruleSet = configuration.ruleSet
        classifier = configuration.classifier
        guard !ruleSet.rules.isEmpty else { throw WebError(description: "no usable rule loaded") }
        jobs = try JobStore(root: uploads.appendingPathComponent("jobs"))
        charters = try CharterLibrary(shared: configuration.chartersDirectory.map { URL(fileURLWithPath: $0) },
                                      created: uploads.appendingPathComponent("charters"))
        // The secret the CSRF tokens derive from; kept so that forms stay valid across a restart.
        let secretFile = uploads.appendingPathComponent("session-secret")
        if let s = try? String(contentsOf: secretFile, encoding: .utf8), s.count == 64 {
            secret = s
        } else {
            secret = Token.hex(bytes: 32)
            try Data(secret.utf8).write(to: secretFile, options: .atomic)
            try? fm.setAttributes([.posixPermissions: 0o600], ofItemAtPath: secretFile.path)
        }
        runner = ScanRunner(jobs: jobs, store: store, ruleSet: ruleSet, classifier: classifier, charters: charters,
                            toolVersion: configuration.toolVersion,
                            limit: configuration.concurrentScans, scanThreads: configuration.scanThreads,
                            maxUnzipBytes: configuration.maxUploadBytes * 10)
        runner.recover()
    }

    // MARK: Sessions and responses

    struct Session {
        let id: String
        let isNew: Bool
        let csrf: String
    }

    static let cookieName = "tonchi_sid"

    func session(_ request: Request) -> Session {
        if let sid = request.cookies[Self.cookieName]?.value, sid.count == 32, sid.allSatisfy(\.isHexDigit) {
            return Session(id: sid, isNew: false, csrf: csrfToken(sid))
        }
        let sid = Token.hex(bytes: 16)
        return Session(id: sid, isNew: true, csrf: csrfToken(sid))
    }

    func csrfToken(_ sid: String) -> String { SHA256Digest.hex(Array("tonchi.csrf/1\u{1F}\(secret)\u{1F}\(sid)".utf8)) }

    /// A state change is allowed only with the session cookie, the session's token in the form,
    /// and no foreign Origin.
    func allowed(_ request: Request, _ session: Session, token: String?) -> Bool {
        if session.isNew { return false }
        if let origin = request.headers[.origin], let host = request.head.authority {
            if origin != "http://\(host)" && origin != "https://\(host)" { return false }
        }
        return Token.equal(token ?? "", session.csrf)
    }

    static func secure(_ headers: inout HTTPFields, csp: String = Page.contentSecurityPolicy) {
        headers[.contentSecurityPolicy] = csp
        headers[.xContentTypeOptions] = "nosniff"
        headers[.init("X-Frame-Options")!] = "DENY"
        headers[.init("Referrer-Policy")!] = "no-referrer"
        headers[.cacheControl] = "no-store"
    }

    func page(_ title: String, _ body: String, status: HTTPResponse.Status = .ok, session: Session, refresh: Int? = nil) -> Response {
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8"]
        Self.secure(&headers)
        var response = Response(status: status, headers: headers,
                                body: .init(byteBuffer: ByteBuffer(string: Page.layout(title: title, body: body, refreshSeconds: refresh))))
        if session.isNew {
            response.setCookie(Cookie(name: Self.cookieName, value: session.id, path: "/", httpOnly: true, sameSite: .strict))
        }
        return response
    }

    func redirect(_ location: String) -> Response {
        var headers: HTTPFields = [.location: location]
        Self.secure(&headers)
        return Response(status: .seeOther, headers: headers)
    }

    func forbidden(_ session: Session) -> Response {
        page("Không được phép", Page.error("Biểu mẫu đã hết hạn hoặc không hợp lệ (thiếu mã chống giả mạo). Hãy mở lại trang và gửi lại.")
             + "<p><a href=\"/\">Về trang đầu</a></p>", status: .forbidden, session: session)
    }

    func notFound(_ session: Session) -> Response {
        page("Không tìm thấy", "<p>Không có trang này. <a href=\"/\">Về trang đầu</a></p>", status: .notFound, session: session)
    }

    func file(_ url: URL, type: String, downloadAs name: String?, csp: String = Page.contentSecurityPolicy) -> Response? {
        guard let data = try? Data(contentsOf: url) else { return nil }
        var headers: HTTPFields = [.contentType: type]
        Self.secure(&headers, csp: csp)
        if let name { headers[.contentDisposition] = "attachment; filename=\"\(name)\"" }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func formBody(_ request: Request, limit: Int = 1 << 20) async throws -> [String: String] {
        let buffer = try await request.body.collect(upTo: limit)
        return URLForm.parse(String(buffer: buffer))
    }

    /// Runs CPU work off the server's event loops.
    static func offloaded<T>(_ work: @escaping () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }

    // MARK: Routes

    public func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        router.get("/assets/app.css") { _, _ -> Response in
            var headers: HTTPFields = [.contentType: "text/css; charset=utf-8"]
            Self.secure(&headers)
            headers[.cacheControl] = "max-age=300"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: Page.css)))
        }
        router.get("/") { request, _ in self.home(request) }
        router.post("/scans") { request, _ in try await self.upload(request) }
        router.get("/scans/:id") { request, context in self.job(request, id: context.parameters.get("id") ?? "") }
        router.get("/scans/:id/report") { request, context in self.report(request, id: context.parameters.get("id") ?? "") }
        router.get("/scans/:id/download/:format") { request, context in
            try await self.download(request, id: context.parameters.get("id") ?? "", format: context.parameters.get("format") ?? "")
        }
        router.get("/scans/:id/compare") { request, context in self.compare(request, id: context.parameters.get("id") ?? "") }
        router.post("/findings/review") { request, _ in try await self.review(request) }
        router.get("/review-list") { request, _ in self.reviewList(request) }
        router.get("/check") { request, _ in self.quickCheck(request, form: [:], result: nil) }
        router.post("/check") { request, _ in try await self.quickCheckPost(request) }
        router.get("/charters/new") { request, _ in self.charterForm(request, form: [:], problems: []) }
        router.post("/charters") { request, _ in try await self.charterPost(request) }
    }
}
