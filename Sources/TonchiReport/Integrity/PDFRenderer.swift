import Foundation

/// Renders an HTML evidence report to PDF with headless Chromium (Debian's `chromium`).
public enum PDFRenderer {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// `TONCHI_CHROMIUM`, else the first of chromium, chromium-browser, google-chrome on PATH.
    public static func chromium() -> String? {
        let env = ProcessInfo.processInfo.environment
        if let explicit = env["TONCHI_CHROMIUM"], FileManager.default.isExecutableFile(atPath: explicit) { return explicit }
        let dirs = (env["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        for name in ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"] {
            for dir in dirs where FileManager.default.isExecutableFile(atPath: dir + "/" + name) { return dir + "/" + name }
        }
        return nil
    }

    /// The arguments every headless run uses: no sandbox when root (Chromium refuses otherwise),
    /// no GPU, no network beyond the file, a throwaway profile.
    public static func baseArguments(profile: String) -> [String] {
        var args = ["--headless", "--disable-gpu", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                    "--disable-background-networking", "--disable-sync", "--user-data-dir=\(profile)"]
        if getuid() == 0 { args.append("--no-sandbox") }
        return args
    }

    public static func render(html: String, to pdfPath: String) throws {
        guard let binary = chromium() else {
            throw Failure(description: "--pdf needs Chromium: install Debian's 'chromium' (or set TONCHI_CHROMIUM)")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tonchi-pdf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let page = folder.appendingPathComponent("report.html")
        try Data(html.utf8).write(to: page)
        let target = URL(fileURLWithPath: pdfPath).standardizedFileURL.path
        try? FileManager.default.removeItem(atPath: target)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = baseArguments(profile: folder.appendingPathComponent("profile").path)
            + ["--no-pdf-header-footer", "--print-to-pdf-no-header", "--print-to-pdf=\(target)", page.absoluteString]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let stderr = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, FileManager.default.fileExists(atPath: target) else {
            let tail = String(decoding: stderr, as: UTF8.self).split(separator: "\n").suffix(5).joined(separator: "\n")
            throw Failure(description: "chromium could not print the report to \(pdfPath) (exit \(process.terminationStatus)): \(tail)")
        }
    }
}
