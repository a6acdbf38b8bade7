import ArgumentParser
import Foundation

@main
struct Tonchi: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "tonchi",
        abstract: "Kiểm tra tạp chí điện tử, trang thông tin điện tử tổng hợp theo pháp luật và tôn chỉ, mục đích.",
        discussion: """
            Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; \
            2 usage, configuration or rule error; 3 some input could not be read or checked completely.
            """,
        version: version,
        subcommands: [Check.self, Scan.self, Rules.self, CharterCommand.self, Eval.self, Verify.self,
                      Compare.self, ReviewListCommand.self, History.self, ReviewCommand.self, Serve.self])

    /// ArgumentParser exits 64 on usage errors; tonchi documents 2 for every usage/config error.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(ExitStatus.usage.rawValue)
        }
    }
}

/// The documented exit codes.
enum ExitStatus: Int32 {
    case clean = 0
    case findings = 1
    case usage = 2
    case incomplete = 3

    var exitCode: ExitCode { ExitCode(rawValue) }
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data((message.hasSuffix("\n") ? message : message + "\n").utf8))
}
