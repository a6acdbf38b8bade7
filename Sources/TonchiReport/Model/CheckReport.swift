import TonchiCore
import TonchiEvaluate
import TonchiScan

/// Everything one run of `tonchi check` produced, whatever the output format.
public struct CheckReport: Sendable, Codable {
    public static let schema = "tonchi.check/1"
    public let schema: String
    public let tool: ToolInfo
    public let kind: PublicationKind
    public let documents: [DocumentResult]
    /// Inputs that could not be read at all (name and reason).
    public let unreadable: [Unreadable]
    /// Per document with findings: its size, SHA-256 and dates (the bytes spans count in).
    public let evidence: [PageEvidence]?

    public struct Unreadable: Sendable, Codable {
        public let name: String
        public let reason: String
        public init(name: String, reason: String) { self.name = name; self.reason = reason }
    }

    public init(tool: ToolInfo, kind: PublicationKind, documents: [DocumentResult], unreadable: [Unreadable],
                evidence: [PageEvidence]? = nil) {
        self.evidence = evidence
        self.schema = Self.schema
        self.tool = tool
        self.kind = kind
        self.documents = documents
        self.unreadable = unreadable
    }

    public var findings: [Finding] { documents.flatMap(\.findings) }
    public var isComplete: Bool { unreadable.isEmpty && documents.allSatisfy { $0.incomplete.isEmpty } }
}
