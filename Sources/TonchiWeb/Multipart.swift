import Foundation

/// A `multipart/form-data` body spooled to a file. Text fields are read into memory (each at most
/// 1 MiB); the file field is copied out to `fileDestination` without being held in memory (the spool is memory-mapped).
struct MultipartForm {
    var fields: [String: String] = [:]
    /// The file part: its name as the client sent it (untrusted, only ever shown escaped) and its size.
    var fileName: String?
    var fileBytes = 0

    struct Failure: Error, CustomStringConvertible { let description: String }

    static func boundary(contentType: String) -> String? {
        guard contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for param in contentType.split(separator: ";").dropFirst() {
            let kv = param.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            if kv.count == 2 && kv[0].lowercased() == "boundary" {
                let value = kv[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                return value.isEmpty || value.count > 200 ? nil : value
            }
        }
        return nil
    }

    /// Parses the spool; the part named `fileField` is written to `fileDestination`.
    static func parse(spool: URL, boundary: String, fileField: String, fileDestination: URL) throws -> MultipartForm {
        let data = try Data(contentsOf: spool, options: .alwaysMapped)
        let delimiter = Data("--\(boundary)".utf8)
        let crlf = Data("\r\n".utf8)
        let headerEnd = Data("\r\n\r\n".utf8)
        var form = MultipartForm()
        guard var cursor = data.range(of: delimiter)?.upperBound else { throw Failure(description: "không đọc được biểu mẫu (thiếu ranh giới multipart)") }
        let next = Data("\r\n--\(boundary)".utf8)
        var parts = 0
        while true {
            // After a delimiter: "--" ends the body, else CRLF and a part.
            if data[cursor..<min(cursor + 2, data.endIndex)] == Data("--".utf8) { break }
            guard data[cursor..<min(cursor + 2, data.endIndex)] == crlf else { throw Failure(description: "biểu mẫu multipart hỏng") }
            cursor += 2
            parts += 1
            if parts > 50 { throw Failure(description: "biểu mẫu có quá nhiều phần") }
            guard let headEnd = data.range(of: headerEnd, in: cursor..<data.endIndex) else { throw Failure(description: "biểu mẫu multipart hỏng (đầu phần)") }
            guard headEnd.lowerBound - cursor < 8192 else { throw Failure(description: "đầu phần multipart quá dài") }
            let head = String(decoding: data[cursor..<headEnd.lowerBound], as: UTF8.self)
            let bodyStart = headEnd.upperBound
            guard let end = data.range(of: next, in: bodyStart..<data.endIndex) else { throw Failure(description: "biểu mẫu multipart bị cắt ngang") }
            let (name, filename) = disposition(head)
            if let name {
                if name == fileField, filename != nil {
                    FileManager.default.createFile(atPath: fileDestination.path, contents: nil)
                    let out = try FileHandle(forWritingTo: fileDestination)
                    var offset = bodyStart
                    while offset < end.lowerBound {
                        let stop = min(offset + (1 << 20), end.lowerBound)
                        try out.write(contentsOf: data[offset..<stop])
                        offset = stop
                    }
                    try out.close()
                    form.fileName = filename
                    form.fileBytes = end.lowerBound - bodyStart
                } else if filename == nil {
                    guard end.lowerBound - bodyStart <= 1 << 20 else { throw Failure(description: "trường '\(name)' quá dài") }
                    form.fields[name] = String(decoding: data[bodyStart..<end.lowerBound], as: UTF8.self)
                }
            }
            cursor = end.upperBound
        }
        return form
    }

    /// `name` and `filename` of a part's Content-Disposition.
    static func disposition(_ head: String) -> (String?, String?) {
        for line in head.components(separatedBy: "\r\n") where line.lowercased().hasPrefix("content-disposition:") {
            var name: String?, filename: String?
            for param in line.split(separator: ";").dropFirst() {
                let kv = param.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
                guard kv.count == 2 else { continue }
                var value = String(kv[1])
                if value.hasPrefix("\"") && value.hasSuffix("\"") && value.count >= 2 { value = String(value.dropFirst().dropLast()) }
                switch kv[0].lowercased() {
                case "name": name = value
                case "filename": filename = value
                default: break
                }
            }
            return (name, filename)
        }
        return (nil, nil)
    }
}
