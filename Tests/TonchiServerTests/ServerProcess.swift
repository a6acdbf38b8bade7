import Foundation
import TonchiTestSupport
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import XCTest

/// `tonchi serve` started on a free loopback port (`--port 0`, the port read from its first line).
final class ServerProcess {
    let process = Process()
    let port: Int
    private let output = Pipe()

    static let root = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The built `tonchi` beside the test bundle.
    static var binary: URL { ToolRunner.tonchi(near: ServerProcess.self) }

    init(_ arguments: [String]) throws {
        process.executableURL = Self.binary
        process.arguments = ["serve", "--port", "0"] + arguments
        process.currentDirectoryURL = Self.root
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The first line says where it listens.
        var line = Data()
        let handle = output.fileHandleForReading
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let byte = handle.readData(ofLength: 1)
            if byte.isEmpty || byte == Data([0x0A]) { break }
            line.append(byte)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard let range = text.range(of: #"127\.0\.0\.1:(\d+)"#, options: .regularExpression),
              let port = Int(text[range].split(separator: ":").last!) else {
            process.terminate()
            throw NSError(domain: "ServerProcess", code: 1, userInfo: [NSLocalizedDescriptionKey: "server did not start: '\(text)'"])
        }
        self.port = port
    }

    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    struct Reply {
        let status: Int
        let body: Data
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
        var text: String { String(decoding: body, as: UTF8.self) }
        var error: [String: Any] { json["error"] as? [String: Any] ?? [:] }
        var errorCode: String? { error["code"] as? String }
    }

    func request(_ method: String, _ path: String, body: Data? = nil, contentType: String? = "application/json",
                 headers: [String: String] = [:]) throws -> Reply {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        request.httpBody = body
        request.timeoutInterval = 60
        if let contentType { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        for (key, value) in headers { request.setValue(value, forHTTPHeaderField: key) }
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: (Data?, URLResponse?, Error?)
        URLSession.shared.dataTask(with: request) { data, response, error in
            result = (data, response, error)
            done.signal()
        }.resume()
        done.wait()
        if let error = result.2 { throw error }
        return Reply(status: (result.1 as? HTTPURLResponse)?.statusCode ?? 0, body: result.0 ?? Data())
    }

    func post(_ path: String, json: Any, headers: [String: String] = [:]) throws -> Reply {
        try request("POST", path, body: try JSONSerialization.data(withJSONObject: json), headers: headers)
    }

    func postRaw(_ path: String, _ body: String, contentType: String? = "application/json") throws -> Reply {
        try request("POST", path, body: Data(body.utf8), contentType: contentType)
    }

    func form(_ path: String, _ fields: [(String, String)]) throws -> Reply {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let body = fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&")
        return try request("POST", path, body: Data(body.utf8), contentType: "application/x-www-form-urlencoded")
    }
}
