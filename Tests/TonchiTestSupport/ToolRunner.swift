import Foundation

/// Runs the built `tonchi` (and other programs) for the tests that drive the command line.
public enum ToolRunner {
    public struct Run: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    /// The built `tonchi`: the products folder holds both the test bundle (on Linux, an `.xctest`
    /// executable) and the tools.
    public static func tonchi(near bundleClass: AnyClass) -> URL {
        let starts = [Bundle.main.executableURL, Bundle(for: bundleClass).bundleURL, Bundle.main.bundleURL].compactMap { $0 }
        for start in starts {
            var url = start
            while url.path != "/" {
                url.deleteLastPathComponent()
                let candidate = url.appendingPathComponent("tonchi")
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                    return candidate
                }
            }
        }
        return URL(fileURLWithPath: "tonchi-executable-not-found")
    }

    /// Runs `executable` with NO_COLOR set and `environment` applied (nil removes a variable),
    /// feeding `stdin` and reading both outputs while it runs, so a large output cannot block it.
    public static func run(_ executable: URL, _ arguments: [String], stdin: Data? = nil, directory: URL? = nil,
                           environment changes: [String: String?] = [:]) throws -> Run {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory ?? FileManager.default.temporaryDirectory
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        for (name, value) in changes { environment[name] = value }
        process.environment = environment
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        final class Box: @unchecked Sendable { var data = Data() }
        let stderr = Box()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async { stderr.data = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                   stderr: String(decoding: stderr.data, as: UTF8.self))
    }
}
