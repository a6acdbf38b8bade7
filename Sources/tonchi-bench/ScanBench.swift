// Scan benchmark: corpus articles wrapped in a realistic page template, written as WARC files of
// ~100 MB and ≥300 MB, each scanned end to end by the `tonchi` binary (a child process, so its
// peak RSS is measured alone).
import Foundation

struct ScanBench {
    let articles: [(title: String, body: String, url: String)]
    let tonchi: String
    let folder: URL

    func run(sizesMB: [Int]) {
        for size in sizesMB {
            let warc = folder.appendingPathComponent("bench-\(size)mb.warc")
            let (bytes, pages) = write(warc, targetBytes: size << 20)
            let (seconds, rssMiB, status) = scan(warc)
            let megabytes = Double(bytes) / 1_048_576
            print(String(format: "scan %4.0f MB WARC (%d pages): %.1f s, %.0f MB/s, %.0f pages/s on %d cores; peak RSS %.0f MiB; exit %d",
                         megabytes, pages, seconds, megabytes / seconds, Double(pages) / seconds,
                         ProcessInfo.processInfo.activeProcessorCount, rssMiB, status))
            try? FileManager.default.removeItem(at: warc)
        }
    }

    /// Writes response records until the file reaches `targetBytes`; returns its size and page count.
    func write(_ url: URL, targetBytes: Int) -> (Int, Int) {
        FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try! FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        var written = 0, pages = 0
        var buffer = Data()
        while written < targetBytes {
            let article = articles[pages % articles.count]
            let round = pages / articles.count
            let pageURL = round == 0 ? article.url : article.url + "?v=\(round)"
            let html = Data(Self.page(title: article.title, body: article.body).utf8)
            let http = Data("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: \(html.count)\r\n\r\n".utf8) + html
            var record = Data("WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: \(pageURL)\r\nWARC-Date: 2025-03-01T08:00:00Z\r\n".utf8)
            record += Data("WARC-Record-ID: <urn:uuid:\(UUID().uuidString.lowercased())>\r\nContent-Type: application/http;msgtype=response\r\n".utf8)
            record += Data("Content-Length: \(http.count)\r\n\r\n".utf8) + http + Data("\r\n\r\n".utf8)
            buffer += record
            written += record.count
            pages += 1
            if buffer.count > 4 << 20 { handle.write(buffer); buffer.removeAll(keepingCapacity: true) }
        }
        handle.write(buffer)
        return (written, pages)
    }

    func scan(_ warc: URL) -> (Double, Double, Int32) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tonchi)
        process.arguments = ["scan", "--kind", "trang-ttdt-tong-hop", "--format", "json", warc.path]
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        let start = DispatchTime.now().uptimeNanoseconds
        try! process.run()
        process.waitUntilExit()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        return (seconds, Double(usage.ru_maxrss) / 1024, process.terminationStatus)
    }

    /// A news page as such sites are built: head, menu, breadcrumb, article, related links, footer.
    static func page(title: String, body: String) -> String {
        let paragraphs = body.split(separator: "\n").map { "<p>\(escape(String($0)))</p>" }.joined(separator: "\n")
        let menu = ["Trang chủ", "Thời sự", "Kinh doanh", "Giải trí", "Thể thao", "Pháp luật", "Giáo dục", "Sức khỏe", "Du lịch", "Công nghệ"]
            .enumerated().map { "<li><a href=\"/muc-\($0.offset)\">\($0.element)</a></li>" }.joined()
        return """
        <!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>\(escape(title)) - Trang tin Ví Dụ</title>
        <meta property="og:site_name" content="Trang tin Ví Dụ"><meta name="viewport" content="width=device-width">
        <link rel="stylesheet" href="/static/site.css"><script>window.dataLayer=[];function gtag(){dataLayer.push(arguments)}</script></head>
        <body><header class="header"><a class="logo" href="/"><img alt="Trang tin Ví Dụ" src="/logo.png"></a></header>
        <nav class="menu"><ul>\(menu)</ul></nav>
        <div class="breadcrumb"><a href="/">Trang chủ</a> › <a href="/muc-1">Thời sự</a></div>
        <article class="detail"><h1>\(escape(title))</h1>\n\(paragraphs)\n</article>
        <aside class="related"><h3>Tin liên quan</h3><ul><li><a href="/a">Bài liên quan một</a></li><li><a href="/b">Bài liên quan hai</a></li></ul></aside>
        <footer class="footer"><p>Trang thông tin điện tử tổng hợp Ví Dụ. Giấy phép số 12/GP-TTĐT do Sở Thông tin và Truyền thông cấp ngày 01/02/2020.</p>
        <p>Chịu trách nhiệm nội dung: Nguyễn Văn A. Địa chỉ: 1 Đường Ví Dụ, Hà Nội.</p></footer></body></html>
        """
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
