import Foundation

/// Finds rule files on disk: `**/*.rules`, `**/*.lexicon`, and the legal catalog (every `*.yaml`
/// in the tree; the bundled one is `legal/catalog.yaml`).
public enum RuleLoader {
    public struct LoadError: Error, CustomStringConvertible {
        public let description: String
    }

    /// The rules shipped with the tool: `Rules/` is a processed resource of this module (through
    /// the `Bundled` link), so its files sit flat in the resource bundle; rule file names must be unique.
    public static var bundledDirectory: URL? {
        Bundle.module.resourceURL
    }

    public static func loadBundled() throws -> RuleSet {
        guard let directory = bundledDirectory else {
            throw LoadError(description: "the bundled rules are missing from this build; pass --rules DIR")
        }
        return try load(directory: directory)
    }

    public static func load(directory: URL) throws -> RuleSet {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw LoadError(description: "\(directory.path): no such rules directory")
        }
        var sources: [RuleCompiler.SourceFile] = []
        var catalog = LegalCatalog()
        var problems: [String] = []
        var catalogText = ""
        let root = directory.resolvingSymlinksInPath()
        let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.sorted { $0.path < $1.path } ?? []
        for url in files {
            let ext = url.pathExtension
            guard ["rules", "lexicon", "yaml", "yml"].contains(ext) else { continue }
            let relative = String(url.resolvingSymlinksInPath().path.dropFirst(root.path.count + 1))
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw LoadError(description: "\(relative): cannot be read")
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw LoadError(description: "\(relative): not valid UTF-8")
            }
            if ext == "yaml" || ext == "yml" {
                problems += catalog.load(yaml: text, file: relative)
                catalogText += text
            } else {
                sources.append(RuleCompiler.SourceFile(path: relative, text: text))
            }
        }
        if !problems.isEmpty { throw LoadError(description: problems.joined(separator: "\n")) }
        return RuleCompiler.compile(sources, catalog: catalog, catalogText: catalogText)
    }
}
