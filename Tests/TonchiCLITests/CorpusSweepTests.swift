import Foundation
import TonchiTestSupport
import XCTest

/// Corpus sweeps (docs/criteria.md §4) and the 01/7/2026 citation switch, through `tonchi scan`
/// as an inspector runs it. The corpus pages carry no URL, so each is placed under its real host in
/// a mirror folder; a page named "homepage" becomes the host's home page.
extension CLITests {
    static let newspapers: [(String, String)] = [
        ("scrapy-tutorial-dantri/dantri.html", "dantri.com.vn/index.html"),
        ("myfeed-2012/dantri1.html", "dantri.com.vn/su-kien/chot-lich.htm"),
        ("myfeed-2012/ngoisao1.html", "ngoisao.net/tin-tuc/hoa-hau.html"),
        ("myfeed-2012/nld1.html", "nld.com.vn/phap-luat/thieu-tien-hui.htm"),
        ("myfeed-2012/thanhnien.homepage.html", "thanhnien.com.vn/index.html"),
        ("myfeed-2012/thanhnien1.html", "thanhnien.com.vn/phap-luat/bong-hong.html"),
        ("myfeed-2012/vnexpress.hompage.html", "vnexpress.net/index.html"),
        ("myfeed-2012/vnexpress1.html", "vnexpress.net/gl/doi-song/vo-ngoai-tinh.html"),
        ("myfeed-2012/vnexpress2.html", "ione.vnexpress.net/tin-tuc/kho-hanh.html"),
        ("myfeed-2012/vnexpress3.html", "vnexpress.net/gl/xa-hoi/dong-nuoc-doc.html"),
        ("myfeed-2012/zing1.html", "news.zing.vn/xa-hoi/nha-tho.html"),
        ("myfeed-2012/zing2.html", "news.zing.vn/giao-duc/keu-troi.html"),
    ]
    static let informationSites: [(String, String)] = [
        ("myfeed-2012/24h1.html", "24h.com.vn/giao-duc/lo-luyen-thi.html"),
        ("myfeed-2012/genkvn.homepage.html", "genk.vn/index.html"),
        ("myfeed-2012/genk1.html", "genk.vn/internet/amazon.chn"),
        ("myfeed-2012/teen9x1.html", "teen9x.com/8-3-boy.html"),
        ("myfeed-2012/tinhte1.html", "tinhte.vn/threads/chuyen-giua-2-nguoi.html"),
        ("myfeed-2012/xinh1.html", "xinhxinh.com.vn/phong-cach/4-buoc-mix-do.html"),
    ]
    /// Rules of the báo-hóa packs: none may fire on a newspaper.
    static let baoHoaPrefixes = ["tts.", "tcdt.", "tckh.", "mxh."]

    func mirror(_ pages: [(String, String)]) throws -> URL {
        let corpus = try SharedCorpus.require().appendingPathComponent("html")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tonchi-sweep-\(UUID().uuidString)")
        for (source, target) in pages {
            let url = dir.appendingPathComponent(target)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: corpus.appendingPathComponent(source), to: url)
        }
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }

    /// Every finding of a JSON scan report as (site, rule id, cited ids).
    func scanFindings(kind: String, date: String?, folder: URL) throws -> [(site: String, rule: String, cites: [String])] {
        let run = try tonchi(["scan", "--kind", kind, "--format", "json"] + (date.map { ["--date", $0] } ?? []) + [folder.path])
        XCTAssertTrue([0, 1].contains(run.status), run.stderr)
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        var found: [(String, String, [String])] = []
        for site in report["sites"] as? [[String: Any]] ?? [] {
            let host = (site["facts"] as? [String: Any])?["host"] as? String ?? "?"
            let pageFindings = (site["pages"] as? [[String: Any]] ?? []).flatMap { $0["findings"] as? [[String: Any]] ?? [] }
            for finding in pageFindings + (site["siteFindings"] as? [[String: Any]] ?? []) + (site["repeatedFindings"] as? [[String: Any]] ?? []) {
                let cites = (finding["citations"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                found.append((host, finding["ruleID"] as? String ?? "?", cites))
            }
        }
        return found
    }

    func testNewspapersShowNoBaoHoa() throws {
        let folder = try mirror(Self.newspapers)
        for date in ["2026-03-01", "2026-08-01"] {
            let findings = try scanFindings(kind: "bao-dien-tu", date: date, folder: folder)
            let baoHoa = findings.filter { f in Self.baoHoaPrefixes.contains { f.rule.hasPrefix($0) } }
            XCTAssertEqual(baoHoa.map { "\($0.site) \($0.rule)" }, [], date)
            // The one finding is a display duty, justified in docs/criteria.md §4.1.
            XCTAssertEqual(findings.map { "\($0.site) \($0.rule)" }, ["vnexpress.net ht.press-licence-missing"], date)
        }
    }

    func testInformationSitesSweep() throws {
        let folder = try mirror(Self.informationSites)
        func fired(_ date: String) throws -> [String] {
            try scanFindings(kind: "trang-ttdt-tong-hop", date: date, folder: folder).map { "\($0.site) \($0.rule)" }.sorted()
        }
        // Each finding is justified in docs/criteria.md §4.2; a change here must be justified there.
        XCTAssertEqual(try fired("2026-03-01"), [
            "24h.com.vn tts.press-sections", "24h.com.vn tts.source-without-time",
            "genk.vn ht.ttdt-responsible-missing", "genk.vn tts.source-without-time",
            "teen9x.com tts.press-sections", "xinhxinh.com.vn tts.source-without-time",
        ])
        // From 01/7/2026 the catalog names no provision requiring the original's time.
        XCTAssertEqual(try fired("2026-08-01"), [
            "24h.com.vn tts.press-sections", "genk.vn ht.ttdt-responsible-missing", "teen9x.com tts.press-sections",
        ])
    }

    /// A home page without the person responsible for content: ND 15/2020 Điều 99 khoản 1 before
    /// 01/7/2026, ND 174/2026 Điều 93 khoản 1 from that day.
    func testHomePageCitationSwitchesOnFirstOfJuly2026() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tonchi-home-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        func site(footer: String) throws -> URL {
            let home = dir.appendingPathComponent("tintonghop.vn/index.html")
            try FileManager.default.createDirectory(at: home.deletingLastPathComponent(), withIntermediateDirectories: true)
            try """
            <html><head><meta charset="utf-8"><title>Tổng hợp tin</title></head><body>
            <nav><a href="/">Trang chủ</a> <a href="/giai-tri">Giải trí</a></nav>
            <article><h1>Giá vàng tăng</h1><p>Giá vàng tăng nhẹ.</p></article>
            <footer>\(footer)</footer></body></html>
            """.write(to: home, atomically: true, encoding: .utf8)
            return dir
        }
        let bare = try site(footer: "Công ty TNHH ABC. Địa chỉ: 1 Lê Lợi, Hà Nội. Điện thoại: 024 000 000. Giấy phép số 12/GP-TTĐT do Sở TTTT Hà Nội cấp.")
        func cites(_ date: String?) throws -> [String] {
            try scanFindings(kind: "trang-ttdt-tong-hop", date: date, folder: bare)
                .filter { $0.rule == "ht.ttdt-responsible-missing" }.flatMap(\.cites)
        }
        let before = try cites("2026-06-30")
        XCTAssertTrue(before.contains("ND15-2020/D99/K1"), "\(before)")
        XCTAssertFalse(before.contains("ND174-2026/D93/K1"), "\(before)")
        let after = try cites("2026-07-01")
        XCTAssertTrue(after.contains("ND174-2026/D93/K1"), "\(after)")
        XCTAssertFalse(after.contains("ND15-2020/D99/K1"), "\(after)")
        // With the responsible person shown, nothing to report.
        let complete = try site(footer: "Công ty TNHH ABC. Địa chỉ: 1 Lê Lợi. Điện thoại: 024 000 000. Chịu trách nhiệm nội dung: Nguyễn Văn A. Giấy phép số 12/GP-TTĐT.")
        XCTAssertEqual(try scanFindings(kind: "trang-ttdt-tong-hop", date: "2026-08-01", folder: complete).filter { $0.site == "tintonghop.vn" && $0.rule.hasPrefix("ht.") }.map(\.rule), [])
    }
}
