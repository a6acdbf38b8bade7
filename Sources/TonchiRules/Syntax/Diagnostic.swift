/// A position in a rule file, 1-based; columns count Unicode scalars so the caret lines up with the source line.
public struct SourceLocation: Sendable, Hashable, Codable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let column: Int
    public init(file: String, line: Int, column: Int) { self.file = file; self.line = line; self.column = column }
    public var description: String { "\(file):\(line):\(column)" }
}

/// One message about a rule file: a parse or semantic error (the rule is skipped) or a lint warning.
public struct Diagnostic: Sendable, Codable, CustomStringConvertible {
    public enum Level: String, Sendable, Codable { case error, warning }
    public let code: DiagnosticCode
    public let level: Level
    public let location: SourceLocation
    public let message: String
    /// The offending source line, kept so the rendering needs no second read of the file.
    public let sourceLine: String

    public init(_ code: DiagnosticCode, _ message: String, at location: SourceLocation, sourceLine: String) {
        self.code = code
        self.level = code.isError ? .error : .warning
        self.location = location
        self.message = message
        self.sourceLine = sourceLine
    }

    /// `file:line:col: error[TR201]: message`, then the source line and a caret under the column.
    public var description: String {
        let caret = String(repeating: " ", count: max(0, location.column - 1)) + "^"
        return "\(location): \(level.rawValue)[\(code.rawValue)]: \(message)\n  \(sourceLine)\n  \(caret)"
    }
}

/// Stable codes: TR1xx syntax, TR2xx meaning (both errors: the rule is skipped), TR3xx lints (warnings).
public enum DiagnosticCode: String, Sendable, Codable, CaseIterable {
    case unexpectedCharacter = "TR100"
    case unterminatedString = "TR101"
    case unterminatedRegex = "TR102"
    case expectedToken = "TR103"
    case unknownStatement = "TR104"
    case invalidNumber = "TR105"
    case invalidDate = "TR106"
    case unknownSelection = "TR201"
    case unknownScope = "TR202"
    case unknownKind = "TR203"
    case unknownLexicon = "TR204"
    case invalidRegex = "TR205"
    case duplicateID = "TR206"
    case unknownCitation = "TR207"
    case missingField = "TR208"
    case invalidValue = "TR209"
    case siteOnlyConstruct = "TR211"
    case unknownRule = "TR212"
    case duplicateSelection = "TR213"
    case invalidPlaceholder = "TR214"
    case emptyTerm = "TR215"
    case emptyMatch = "TR301"
    case noPrefilterLiteral = "TR302"
    case notNFC = "TR303"
    case impossibleBoundary = "TR304"
    case unusedSelection = "TR305"
    case fewExamples = "TR306"
    case oldTonePlacement = "TR307"
    case deprecatedRule = "TR308"

    public var isError: Bool { !rawValue.hasPrefix("TR3") }
}
