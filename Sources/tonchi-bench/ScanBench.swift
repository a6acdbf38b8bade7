// Scan benchmark: corpus articles wrapped in a realistic page template, written as WARC files of
// ~100 MB and ≥300 MB, each scanned end to end by the `tonchi` binary (a child process, so its
// peak RSS is measured alone).
import Foundation

struct ScanBench {
    let articles: [(title: String, body: String, url: String)]
    let tonchi: String
    let folder: URL

    func run(sizesMB: [Int]) {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        for size in sizesMB {
            let warc = folder.appendingPathComponent("bench-\(size)mb.warc")
            let (bytes, pages) = write(warc, targetBytes: size << 20)
            let megabytes = Double(bytes) / 1_048_576
            print(String(format: "scan %4.0f MB WARC (%d pages, %.0f KB each):", megabytes, pages, megabytes * 1024 / Double(pages)))
            // With a charter, as inspectors scan (the topic classifier runs on every page too), then
            // the rules alone; all cores, then one checking thread (the reader still runs beside it).
            // MB per CPU second is the per-core figure that does not depend on what else the machine runs.
            for (label, selection) in [("charter", ["--charter", "Samples/charters/trang-tong-hop-binh-minh.yaml"]),
                                       ("rules only", ["--kind", "trang-ttdt-tong-hop"])] {
                for jobs in [cores, 1] {
                    let run = scan(warc, selection + ["--jobs", String(jobs)])
                    print(String(format: "  %@, %d worker%@: %.2f s, %.0f MB/s, %.0f pages/s; %.2f CPU s = %.0f MB per CPU second; peak RSS %.0f MiB; exit %d",
                                 label, jobs, jobs == 1 ? "" : "s", run.seconds, megabytes / run.seconds, Double(pages) / run.seconds,
                                 run.cpuSeconds, megabytes / run.cpuSeconds, run.peakRSSMiB, run.status))
                }
            }
            if ProcessInfo.processInfo.environment["BENCH_KEEP"] == nil { try? FileManager.default.removeItem(at: warc) }
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
            let others = (1...26).map { articles[(pages + $0 * 37) % articles.count].title }
            let html = Data(Self.page(title: article.title, body: article.body, others: others).utf8)
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

    /// Runs one scan as a child process; its own rusage (wait4), not the sum over earlier children.
    func scan(_ warc: URL, _ options: [String]) -> (seconds: Double, cpuSeconds: Double, peakRSSMiB: Double, status: Int32) {
        let arguments = [tonchi, "scan", "--format", "json"] + options + [warc.path]
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let start = DispatchTime.now().uptimeNanoseconds
        var pid: pid_t = 0
        guard posix_spawn(&pid, tonchi, &actions, nil, argv, environ) == 0 else {
            print("tonchi-bench: cannot run \(tonchi)"); exit(2)
        }
        var status: Int32 = 0
        var usage = rusage()
        _ = wait4(pid, &status, 0, &usage)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let cpu = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        return (seconds, cpu, Double(usage.ru_maxrss) / 1024, (status >> 8) & 0xFF)
    }

    /// A news page as Vietnamese news sites build them (the corpus pages in ../shared/corpus/html
    /// weigh 48–198 KB, median 86 KB): a head with meta tags, JSON-LD, inline CSS and scripts; a
    /// mega-menu; the article; related, most-read and latest lists titled with other articles;
    /// a footer with a site map and the licence line; trailing scripts.
    static func page(title: String, body: String, others: [String]) -> String {
        let paragraphs = body.split(separator: "\n").map { "<p>\(escape(String($0)))</p>" }.joined(separator: "\n")
        func list(_ name: String, _ titles: ArraySlice<String>) -> String {
            let items = titles.enumerated().map { index, other in
                "<li class=\"item\"><a href=\"/\(name)/bai-\(index).htm\" title=\"\(escape(other))\"><img src=\"/thumb/\(name)-\(index).jpg\" alt=\"\(escape(other))\" loading=\"lazy\" width=\"120\" height=\"80\"></a><h4><a href=\"/\(name)/bai-\(index).htm\">\(escape(other))</a></h4></li>"
            }
            return "<ul class=\"list-\(name)\">\(items.joined(separator: "\n"))</ul>"
        }
        let escapedTitle = escape(title)
        return """
        <!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>\(escapedTitle) - Trang tin Ví Dụ</title>
        <meta name="description" content="\(escapedTitle)"><meta name="keywords" content="tin tức, ví dụ">
        <meta property="og:site_name" content="Trang tin Ví Dụ"><meta property="og:title" content="\(escapedTitle)">
        <meta property="og:type" content="article"><meta property="article:published_time" content="2025-02-28T07:30:00+07:00">
        <meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="index,follow">
        <link rel="stylesheet" href="/static/site.css"><link rel="preload" href="/static/font.woff2" as="font" crossorigin>
        <script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"\(escapedTitle)","datePublished":"2025-02-28T07:30:00+07:00","publisher":{"@type":"Organization","name":"Trang tin Ví Dụ"}}</script>
        <style>\(style)</style>
        <script>\(headScript)</script></head>
        <body class="detail-page"><header class="header"><div class="top-bar"><span class="date">Thứ sáu, 28/02/2025</span>
        <form class="search" action="/tim-kiem"><input name="q" placeholder="Tìm kiếm"></form></div>
        <a class="logo" href="/"><img alt="Trang tin Ví Dụ" src="/logo.png"></a></header>
        <nav class="menu">\(menu)</nav>
        <div class="breadcrumb"><a href="/">Trang chủ</a> › <a href="/kinh-te">Kinh tế</a></div>
        <main class="container"><article class="detail"><h1 class="title">\(escapedTitle)</h1>
        \(paragraphs)
        </article>
        <section class="related"><h3>Tin liên quan</h3>\(list("lien-quan", others.prefix(6)))</section>
        <aside class="sidebar"><div class="box"><h3>Đọc nhiều</h3>\(list("doc-nhieu", others.dropFirst(6).prefix(10)))</div>
        <div class="ads"><ins class="adsbygoogle" data-ad-slot="1234567890"></ins></div>
        <div class="box"><h3>Tin mới</h3>\(list("tin-moi", others.dropFirst(16).prefix(10)))</div></aside></main>
        <footer class="footer"><div class="sitemap">\(menu)</div>
        <p>Trang thông tin điện tử tổng hợp Ví Dụ. Giấy phép số 12/GP-TTĐT do Sở Thông tin và Truyền thông cấp ngày 01/02/2020.</p>
        <p>Chịu trách nhiệm nội dung: Nguyễn Văn A. Địa chỉ: 1 Đường Ví Dụ, Hà Nội.</p></footer>
        <script>\(tailScript)</script></body></html>
        """
    }

    /// Twelve sections of six entries each, as the mega-menus of the corpus sites.
    static let menu: String = {
        let sections = ["Kinh tế", "Xã hội", "Giải trí", "Thể thao", "Pháp luật", "Giáo dục", "Sức khỏe", "Du lịch", "Công nghệ", "Ô tô – Xe máy", "Bất động sản", "Thế giới"]
        return "<ul class=\"mega\">" + sections.enumerated().map { index, name in
            let entries = (1...6).map { "<li><a href=\"/muc-\(index)/nhom-\($0)\">\(name) \($0)</a></li>" }.joined()
            return "<li class=\"parent\"><a href=\"/muc-\(index)\">\(name)</a><ul class=\"sub\">\(entries)</ul></li>"
        }.joined() + "</ul>"
    }()

    /// About 14 KB of critical CSS, the size real pages inline.
    static let style: String = (0..<220).map { index in
        ".c\(index),.box .c\(index)>a{margin:\(index % 9)px \(index % 13)px;padding:0 \(index % 7)px;color:#\(String(index * 7919 % 0xffffff, radix: 16));font:\(12 + index % 6)px/1.4 Arial,sans-serif}"
    }.joined(separator: "\n")

    /// Analytics and ad set-up scripts: about 9 KB in the head, 6 KB at the end.
    static let headScript: String = (0..<120).map { index in
        "window.cfg\(index)={slot:'\(index * 104729)',sizes:[[300,250],[728,90]],targeting:{pos:'p\(index % 5)'}};"
    }.joined(separator: "\n")
    static let tailScript: String = (0..<80).map { index in
        "(function(d,i){var s=d.createElement('script');s.async=1;s.src='/js/w'+i+'.js?v=\(index)';if(i<\(index)){d.body.appendChild(s)}})(document,\(index));"
    }.joined(separator: "\n")

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
