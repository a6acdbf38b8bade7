import Foundation
import XCTest

/// Site rules' examples: `tonchi rules test` cannot run them (a site needs pages), so each site
/// rule of Rules/hien-thi, bao-hoa and mang-xa-hoi gets at least two sites it must fire on and two
/// it must not, scanned as a mirror folder.
extension CLITests {
    struct SiteExample {
        let host: String
        var path = "index.html"
        let title: String
        let footer: String
        var menu = "Trang chủ | Giải trí"
    }

    static let complete = "Công ty TNHH ABC. Địa chỉ: 1 Lê Lợi, Hà Nội. Điện thoại: 024 000 000. Chịu trách nhiệm nội dung: Nguyễn Văn A. Giấy phép số 12/GP-TTĐT do Sở TTTT Hà Nội cấp."
    static let pressComplete = "Tổng biên tập: Nguyễn Văn A. Giấy phép số 123/GP-BTTTT cấp ngày 01/01/2020. Địa chỉ: 1 Lê Lợi, Hà Nội. Email: toasoan@example.vn"

    /// Scans the example sites and returns "host rule" for every site-rule finding.
    func siteFindings(kind: String, _ sites: [SiteExample]) throws -> Set<String> {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tonchi-sites-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        for site in sites {
            let file = dir.appendingPathComponent(site.host).appendingPathComponent(site.path)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            let footer = site.footer.isEmpty ? "" : "<footer>\(site.footer)</footer>"
            try """
            <html><head><meta charset="utf-8"><title>\(site.title)</title></head><body>
            <nav>\(site.menu.split(separator: "|").map { "<a href=\"/\">\($0)</a>" }.joined(separator: " "))</nav>
            <article><h1>Giá rau tăng</h1><p>Giá rau tăng nhẹ trong tuần.</p></article>\(footer)</body></html>
            """.write(to: file, atomically: true, encoding: .utf8)
        }
        return Set(try scanFindings(kind: kind, date: "2026-08-01", folder: dir)
            .filter { ["ht.", "tcdt.name", "tts.press-like", "tts.organ", "mxh.press-like"].contains(where: $0.rule.hasPrefix) }
            .map { "\($0.site) \($0.rule)" })
    }

    func testInformationSiteRules() throws {
        let fired = try siteFindings(kind: "trang-ttdt-tong-hop", [
            .init(host: "a1.vn", title: "Cẩm nang", footer: "Công ty ABC. Địa chỉ: 1 Lê Lợi. Điện thoại: 024 000. Giấy phép số 12/GP-TTĐT."),
            .init(host: "a2.vn", title: "Cẩm nang", footer: "© 2026 Công ty ABC. Chịu trách nhiệm nội dung: Nguyễn Văn A."),
            .init(host: "a3.vn", title: "Cẩm nang nhà nông", footer: Self.complete),
            .init(host: "tintuc-abc.vn", title: "Cẩm nang", footer: Self.complete),
            .init(host: "a4.vn", title: "Nhật báo Sông Hồng", footer: Self.complete),
            .init(host: "a5.vn", title: "Cảnh báo thời tiết", footer: Self.complete),
            .init(host: "a6.vn", title: "Cẩm nang", footer: "Cơ quan ngôn luận của Hội X. " + Self.complete),
            .init(host: "a7.vn", title: "Tiếng nói của nhà nông", footer: Self.complete),
            .init(host: "a8.vn", path: "bai/gia-rau.html", title: "Giá rau", footer: "Liên hệ: 024 000"),
            .init(host: "a9.vn", title: "Cẩm nang", footer: ""),
        ])
        XCTAssertEqual(fired, [
            "a1.vn ht.ttdt-responsible-missing", "a2.vn ht.ttdt-licence-missing",
            "tintuc-abc.vn tts.press-like-name", "a4.vn tts.press-like-name",
            "a6.vn tts.organ-wording", "a7.vn tts.organ-wording",
        ])
    }

    func testSocialNetworkAndPressSiteRules() throws {
        let networks = try siteFindings(kind: "mang-xa-hoi", [
            .init(host: "m1.vn", title: "Diễn đàn", footer: "© 2026 ABC. Chịu trách nhiệm: Nguyễn Văn A."),
            .init(host: "m2.vn", title: "Diễn đàn", footer: "© 2026 ABC. Giấy phép MXH số 1/GP-BTTTT."),
            .init(host: "m3.vn", title: "Diễn đàn", footer: "© 2026 ABC. Người chịu trách nhiệm: Nguyễn Văn A. Giấy phép MXH số 1/GP-BTTTT."),
            .init(host: "dailynews-m4.vn", title: "Diễn đàn", footer: "© 2026 ABC. Người chịu trách nhiệm: Nguyễn Văn A. Giấy phép MXH số 1/GP-BTTTT."),
            .init(host: "m5.vn", path: "chu-de/1.html", title: "Chủ đề", footer: "© 2026"),
        ])
        XCTAssertEqual(networks, ["m1.vn ht.mxh-homepage-info-missing", "m2.vn ht.mxh-homepage-info-missing", "dailynews-m4.vn mxh.press-like-name"])

        let press = try siteFindings(kind: "bao-dien-tu", [
            .init(host: "p1.vn", title: "Báo X", footer: "© 2026 Báo X. Địa chỉ: 1 Lê Lợi."),
            .init(host: "p2.vn", title: "Báo Y", footer: Self.pressComplete),
            .init(host: "p3.vn", title: "Báo Z", footer: "Tổng biên tập: Nguyễn Văn A. Địa chỉ: 1 Lê Lợi."),
            .init(host: "p4.vn", path: "tin/1.html", title: "Tin", footer: "© 2026"),
        ])
        XCTAssertEqual(press, ["p1.vn ht.press-licence-missing", "p3.vn ht.press-licence-missing"])

        let magazines = try siteFindings(kind: "tap-chi-dien-tu", [
            .init(host: "t1.vn", title: "Môi trường và Đời sống", footer: Self.pressComplete),
            .init(host: "t2.vn", title: "Tạp chí Môi trường", footer: Self.pressComplete),
            .init(host: "t3.vn", title: "Kinh tế Xanh", footer: Self.pressComplete),
            .init(host: "t4.vn", path: "bai/1.html", title: "Kinh tế", footer: Self.pressComplete),
        ])
        XCTAssertEqual(magazines, ["t1.vn tcdt.name-not-tap-chi", "t3.vn tcdt.name-not-tap-chi"])
    }
}
