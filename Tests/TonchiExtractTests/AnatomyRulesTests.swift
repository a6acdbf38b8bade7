import Foundation
import XCTest
import TonchiCore
import TonchiExtract
import TonchiTestSupport

/// One rule of the page anatomy per test, on small hand-made pages.
final class AnatomyRulesTests: XCTestCase {

    /// Long enough paragraphs for a block to count as the article text.
    private let paragraphs = """
    <p>Sáng nay, hàng nghìn người dân đã đổ về trung tâm thành phố để theo dõi lễ hội pháo hoa chào năm mới.</p>
    <p>Theo ghi nhận của phóng viên, lực lượng chức năng đã phân luồng giao thông từ sớm trên các tuyến phố chính.</p>
    <p>Nhiều gia đình mang theo trẻ nhỏ, chọn chỗ ngồi bên bờ hồ để có góc nhìn đẹp nhất khi pháo hoa bắt đầu.</p>
    """

    /// An article page: header, menu, breadcrumb, headline, body, sidebar, footer. `tail` goes
    /// after the paragraphs, `head` into <head>, `header` above the headline.
    private func article(head: String = "", header: String = "", tail: String = "", title: String = "Pháo hoa rực rỡ đêm giao thừa - Thời sự - Báo Mẫu") -> String {
        """
        <html><head><title>\(title)</title>\(head)</head><body>
        <div id="header"><div class="logo"><a href="/"><img src="logo.png" alt="Báo Mẫu điện tử"></a></div></div>
        <ul class="main-menu"><li><a href="/thoi-su">Thời sự</a></li><li><a href="/the-gioi">Thế giới</a></li><li><a href="/kinh-te">Kinh tế</a></li></ul>
        <div class="wrapper"><div class="left">
        \(header)
        <h1>Pháo hoa rực rỡ đêm giao thừa</h1>
        <div class="text">
        \(paragraphs)
        \(tail)
        </div>
        <div class="box-tin-lien-quan"><a href="/a">Người dân háo hức chờ đón giao thừa ở khắp nơi</a></div>
        </div>
        <div class="sidebar"><p>Tin đọc nhiều nhất trong ngày hôm nay được bạn đọc quan tâm rất nhiều.</p></div>
        </div>
        <div class="footer">Giấy phép số 123/GP-BTTTT do Bộ Thông tin và Truyền thông cấp.</div>
        </body></html>
        """
    }

    // MARK: Site name

    func testSiteNameFromOpenGraphSkipsURLValues() {
        let doc = html(article(head: """
            <meta property="og:site_name" content="http://baomau.vn/thoi-su/bai.html">
            <meta property="og:site_name" content="Báo Mẫu">
            """))
        XCTAssertEqual(doc.metadata["site_name"], "Báo Mẫu")
        assertSound(doc)
    }

    func testSiteNameFromTheTitleSuffixThatRepeatsTheHost() {
        let doc = html(article(title: "Pháo hoa rực rỡ đêm giao thừa - Thời sự - Báo Mẫu"), url: "https://www.baomau.vn/thoi-su/bai.html")
        XCTAssertEqual(doc.metadata["site_name"], "Báo Mẫu")
        // A middle part ("Thời sự") is not the brand; with no brand to match, the logo speaks.
        let other = html(article(title: "Pháo hoa rực rỡ đêm giao thừa | Thời sự"), url: "https://baomau.vn/x/y")
        XCTAssertEqual(other.metadata["site_name"], "Báo Mẫu điện tử")
    }

    func testSiteNameFromInitialsAndDomainLikeParts() {
        let nld = html(article(title: "Pháo hoa rực rỡ đêm giao thừa | Pháp luật | Người Lao Động Online"), url: "http://nld.com.vn/a/b.htm")
        XCTAssertEqual(nld.metadata["site_name"], "Người Lao Động Online")
        let genk = html(article(title: "Pháo hoa rực rỡ đêm giao thừa | Internet | GenK.vn"))
        XCTAssertEqual(genk.metadata["site_name"], "GenK.vn")
        // The brand may come first.
        let teen = html(article(title: "Teen9x News - Pháo hoa rực rỡ đêm giao thừa"), url: "http://teen9x.net/bai.html")
        XCTAssertEqual(teen.metadata["site_name"], "Teen9x News")
    }

    func testSiteNameFromTheLogoButNotAPartnerLogoInTheFooter() {
        let doc = html("""
            <title>Một bài viết không có tên trang</title>
            <body><div class="content"><p>Nội dung</p></div>
            <div class="footer"><a class="logovcorp" href="http://vccorp.vn"><img alt="Vccorp.vn"></a></div>
            <div id="logo_site"><a href="/"><img alt="vnexpress.net"></a></div></body>
            """)
        XCTAssertEqual(doc.metadata["site_name"], "vnexpress.net")
    }

    // MARK: Lead

    func testLeadFromSapoAndIntroClasses() {
        for cls in ["sapo", "short_intro", "lead", "Lead"] {
            let doc = html(article(header: "<p class=\"\(cls)\">Tóm tắt bài viết về đêm giao thừa năm nay.</p>"))
            XCTAssertEqual(doc.strings(.lead), ["Tóm tắt bài viết về đêm giao thừa năm nay."], cls)
        }
    }

    func testLeadFromTheHeadingUnderTheHeadline() {
        let page = article().replacingOccurrences(of: "<div class=\"text\">", with: """
            <h2>(Báo Mẫu) - Đêm qua, pháo hoa đã rực sáng bầu trời thủ đô trong niềm vui của hàng nghìn người dân.</h2>
            <div class="text">
            """)
        let doc = html(page)
        XCTAssertEqual(doc.strings(.lead), ["(Báo Mẫu) - Đêm qua, pháo hoa đã rực sáng bầu trời thủ đô trong niềm vui của hàng nghìn người dân."])
        // Without one, the meta description stands in.
        let plain = html(article(head: "<meta name=\"description\" content=\"Mô tả bài\">"))
        XCTAssertEqual(plain.strings(.lead), ["Mô tả bài"])
    }

    // MARK: Byline

    func testBylineMarkupClassesAndRel() {
        for markup in ["<p class=\"author\">Trần Văn Bình</p>", "<div class=\"byline\">Trần Văn Bình</div>",
                       "<p class=\"tacgia\">Trần Văn Bình</p>", "<span class=\"tac-gia\">Trần Văn Bình</span>",
                       "<a rel=\"author\" href=\"/tac-gia/binh\">Trần Văn Bình</a>",
                       "<span itemprop=\"author\">Trần Văn Bình</span>"] {
            let doc = html(article(tail: markup))
            XCTAssertEqual(doc.lines(.byline), ["Trần Văn Bình"], markup)
            XCTAssertEqual(doc.metadata["author"], "Trần Văn Bình", markup)
            assertSound(doc)
        }
    }

    func testMetaAuthorIsABylineUnlessItIsTheSoftwareOrTheSite() {
        let person = html(article(head: "<meta name=\"author\" content=\"Nguyễn Thu Hà\">"))
        XCTAssertEqual(person.lines(.byline), ["Nguyễn Thu Hà"])
        XCTAssertEqual(person.metadata["author"], "Nguyễn Thu Hà")
        XCTAssertFalse(person.joined(.body).contains("Nguyễn Thu Hà"))

        let software = html(article(head: """
            <meta name="author" content="Công nghệ ChannelVN"><meta name="GENERATOR" content="Công nghệ ChannelVN">
            """))
        XCTAssertNil(software.metadata["author"])
        XCTAssertEqual(software.ranges(.byline), [])
        let domain = html(article(head: "<meta name=\"author\" content=\"VCCorp.vn\">"))
        XCTAssertNil(domain.metadata["author"])
        let site = html(article(head: "<meta name=\"author\" content=\"BaoMau\">"), url: "http://baomau.vn/a/b")
        XCTAssertNil(site.metadata["author"])
    }

    func testJSONLDAuthorMapsToTheBytesInsideTheScript() throws {
        let doc = html(article(head: """
            <script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",
            "headline":"Pháo hoa","datePublished":"2024-02-10T00:05:00+07:00",
            "author":{"@type":"Person","name":"Lê Minh Tuấn","worksFor":{"name":"Báo Mẫu"}},
            "publisher":{"@type":"Organization","name":"Báo Mẫu"}}</script>
            """))
        XCTAssertEqual(doc.lines(.byline), ["Lê Minh Tuấn"])
        XCTAssertEqual(doc.metadata["author"], "Lê Minh Tuấn")
        XCTAssertEqual(doc.metadata["published"], "2024-02-10T00:05:00+07:00")
        let r = try XCTUnwrap(doc.ranges(.byline).first)
        XCTAssertEqual(source(doc, r), "Lê Minh Tuấn")
        XCTAssertFalse(doc.joined(.body).contains("Lê Minh Tuấn"))
        assertSound(doc)
    }

    func testJSONLDAuthorWithEscapesAndArrays() throws {
        let doc = html(#"""
            <head><script type="application/ld+json">{"@graph":[{"@type":"Article",
            "author":[{"@type":"Person","name":"L\u00ea Minh Tu\u1ea5n"}]}]}</script></head>
            <body><p>Nội dung</p></body>
            """#)
        XCTAssertEqual(doc.strings(.byline), ["Lê Minh Tuấn"])
        let r = try XCTUnwrap(doc.ranges(.byline).first)
        XCTAssertEqual(source(doc, r), #"L\u00ea Minh Tu\u1ea5n"#)
        // "ê" is one replacement segment standing for its six escape bytes.
        let e = r.lowerBound + 1
        XCTAssertEqual(source(doc, e..<(e + 2)), #"\u00ea"#)
        XCTAssertEqual(scopeShapeProblems(doc, requireLineBreaks: true), [])
    }

    func testClosingLineBylines() {
        let cases: [(String, String)] = [
            ("<p>PV</p>", "PV"),
            ("<p>Nhóm PV</p>", "Nhóm PV"),
            ("<p align=\"right\"><b>Minh Anh</b></p>", "Minh Anh"),
            ("<p><strong>Trường Thịnh</strong></p>", "Trường Thịnh"),
            ("<p><b>Quang Phong - Tùng Nguyên</b></p>", "Quang Phong - Tùng Nguyên"),
            ("<p><em>Tin, ảnh</em>: <strong>Vũ Phương Thảo</strong></p>", "Vũ Phương Thảo"),
            ("<p><b>H.V.</b><br><em>Ảnh</em>: Misso</p>", "H.V."),
        ]
        for (tail, author) in cases {
            let doc = html(article(tail: tail))
            XCTAssertEqual(doc.metadata["author"], author, tail)
            XCTAssertTrue(doc.lines(.byline).contains { $0.contains(author) }, "\(tail): \(doc.lines(.byline))")
            assertSound(doc)
        }
    }

    func testClosingLineWithSourceIsBylineAndAttribution() throws {
        let doc = html(article(tail: "<p><b>Minh Anh</b> (theo Tuổi Trẻ)</p>"))
        XCTAssertEqual(doc.metadata["author"], "Minh Anh")
        XCTAssertEqual(doc.lines(.byline), ["Minh Anh (theo Tuổi Trẻ)"])
        XCTAssertEqual(doc.lines(.attribution), ["Minh Anh (theo Tuổi Trẻ)"])
        XCTAssertEqual(doc.metadata["attribution"], "theo Tuổi Trẻ")
        let r = try XCTUnwrap(doc.ranges(.byline).first)
        XCTAssertEqual(source(doc, r), "Minh Anh</b> (theo Tuổi Trẻ)")
    }

    func testOrdinaryLastSentencesAreNoBylines() {
        for tail in ["<p>Người dân vui vẻ trở về nhà sau lễ hội.</p>", "<p>Xin cảm ơn!</p>", "<p>Ảnh: Hoàng Hà</p>",
                     "<p>Đón xem kỳ tới.</p>", "<p>Năm 2024</p>"] {
            let doc = html(article(tail: tail))
            XCTAssertNil(doc.metadata["author"], tail)
            XCTAssertEqual(doc.ranges(.byline), [], tail)
        }
    }

    // MARK: Attribution

    func testSourceLines() {
        let cases: [(String, String)] = [
            ("<p>Theo Tuổi Trẻ</p>", "Theo Tuổi Trẻ"),
            ("<p><i>Theo Minh Nguyễn/Vcamp.vn</i></p>", "Theo Minh Nguyễn/Vcamp.vn"),
            ("<p>Nguồn: VnExpress</p>", "Nguồn: VnExpress"),
            ("<p>NGUỒN: Báo Tuổi Trẻ</p>", "NGUỒN: Báo Tuổi Trẻ"),
            ("<p>Nguon: thanhnien.vn</p>", "Nguon: thanhnien.vn"),
            ("<p>(TTXVN)</p>", "TTXVN"),
            ("<p>(T/h)</p>", "T/h"),
            ("<p>(Tổng hợp)</p>", "Tổng hợp"),
            ("<div class=\"source\">Infonet</div>", "Infonet"),
        ]
        for (tail, text) in cases {
            let doc = html(article(tail: tail))
            XCTAssertEqual(doc.metadata["attribution"], text, tail)
            XCTAssertEqual(doc.ranges(.attribution).count, 1, tail)
            assertSound(doc)
        }
    }

    func testSourceLineMapsToItsBytes() throws {
        let doc = html(article(tail: "<p class=\"pSource\">Theo &quot;Dân trí&quot;</p>"))
        let r = try XCTUnwrap(doc.ranges(.attribution).first)
        XCTAssertEqual(doc.string(r), "Theo \"Dân trí\"")
        XCTAssertEqual(source(doc, r), "Theo &quot;Dân trí&quot;")
    }

    func testProseStartingWithTheoIsNoSourceLine() {
        let doc = html(article(tail: """
            <p>Theo cáo trạng, khoảng 16 giờ ngày 8.6.2012, Công an Đà Nẵng đã bắt quả tang bị cáo đang mua bán trái phép.</p>
            <p>Theo đó, người dân được khuyến cáo hạn chế ra đường.</p>
            <p>Người dân vui vẻ trở về nhà sau lễ hội.</p>
            """))
        XCTAssertNil(doc.metadata["attribution"])
        XCTAssertEqual(doc.ranges(.attribution), [])
    }

    func testALineUnderTheoContinuesTheSourceAndIsNoByline() {
        let doc = html(article(tail: "<div><i>Theo Minh Nguyễn/Vcamp.vn</i></div><div><i>Forbes</i></div>"))
        XCTAssertNil(doc.metadata["author"])
        XCTAssertEqual(doc.metadata["attribution"], "Theo Minh Nguyễn/Vcamp.vn")
    }

    // MARK: Dates

    func testPublishedFromMetadataInOrderOfTrust() {
        let all = """
            <meta name="pubdate" content="2012-01-04">
            <meta itemprop="datePublished" content="2012-01-03">
            <script type="application/ld+json">{"datePublished":"2012-01-02"}</script>
            <meta property="article:published_time" content="2012-01-01T08:00:00+07:00">
            """
        XCTAssertEqual(html(article(head: all)).metadata["published"], "2012-01-01T08:00:00+07:00")
        let noOG = all.replacingOccurrences(of: "article:published_time", with: "article:other")
        XCTAssertEqual(html(article(head: noOG)).metadata["published"], "2012-01-02")
        let noJSON = noOG.replacingOccurrences(of: "datePublished\":", with: "dateCreated\":")
        XCTAssertEqual(html(article(head: noJSON)).metadata["published"], "2012-01-03")
        XCTAssertEqual(html(article(head: "<meta name=\"pubdate\" content=\"2012-01-04\">")).metadata["published"], "2012-01-04")
        // itemprop on a visible element too.
        let time = html(article(header: "<time itemprop=\"datePublished\" datetime=\"2012-01-05T10:00\">5/1/2012</time>"))
        XCTAssertEqual(time.metadata["published"], "2012-01-05T10:00")
    }

    func testVisibleDatesNextToTheHeadline() {
        let cases: [(String, String)] = [
            ("<span class=\"date\">Thứ Hai, 12/3/2012 - 08:30</span>", "2012-03-12"),
            ("<p class=\"time\">12/03/2012 08:30 GMT+7</p>", "2012-03-12"),
            ("<div>Cập nhật ngày 12 tháng 3 năm 2012</div>", "2012-03-12"),
            ("<span class=\"timestamp\">| Cập nhật thứ hai, ngày 24/12/12 11:05 tối</span>", "2012-12-24"),
            ("<div class=\"meta\">Thứ Ba, 25.12.2012</div>", "2012-12-25"),
            ("<time datetime=\"2012-03-12T08:30:00+07:00\">Hôm qua</time>", "2012-03-12"),
        ]
        for (header, day) in cases {
            let doc = html(article(header: header))
            XCTAssertEqual(doc.metadata["published"], day, header)
            XCTAssertNotNil(doc.metadata["published_text"], header)
        }
        let doc = html(article(header: "<span class=\"date\">Thứ Hai, 12/3/2012 - 08:30</span>"))
        XCTAssertEqual(doc.metadata["published_text"], "Thứ Hai, 12/3/2012 - 08:30")
    }

    func testDatesInMenusProseOrMonthFirstEnglishAreNotThePublicationDate() {
        // A news ticker in the menu, a date in the text, a month-first English date line.
        let doc = html(article(header: "<div class=\"menu\"><span class=\"time\">26/12/2012</span></div>",
                               tail: "<p>Ngày 8/6/2012, công an đã bắt quả tang.</p>"))
        XCTAssertNil(doc.metadata["published"])
        let english = html(article(header: "<div>Published on 03-08-2011 01:00 AM</div>"))
        XCTAssertNil(english.metadata["published"])
        // Without a headline there is no article header to read a date from.
        XCTAssertNil(html("<body><div class=\"date\">12/3/2012</div><p>Trang chủ</p></body>").metadata["published"])
    }

    // MARK: Section

    func testSectionFromABreadcrumb() throws {
        let doc = html(article(header: """
            <div class="breadcrumb"><a href="/">Trang chủ</a> › <a href="/suc-khoe">Sức khỏe</a> › <a href="/suc-khoe/dinh-duong">Dinh dưỡng</a> › <span>Pháo hoa rực rỡ đêm giao thừa</span></div>
            """))
        XCTAssertEqual(doc.metadata["section"], "Dinh dưỡng")
        XCTAssertEqual(doc.lines(.section), ["Sức khỏe", "Dinh dưỡng"])
        XCTAssertEqual(source(doc, try XCTUnwrap(doc.ranges(.section).last)), "Dinh dưỡng")
        assertSound(doc)
    }

    func testSectionFromSchemaBreadcrumbs() {
        let list = html(article(header: """
            <ol itemscope itemtype="https://schema.org/BreadcrumbList"><li itemprop="itemListElement"><a itemprop="item" href="/"><span itemprop="name">Báo Mẫu</span></a></li>
            <li itemprop="itemListElement"><a itemprop="item" href="/the-thao"><span itemprop="name">Thể thao</span></a></li></ol>
            """, title: "Pháo hoa rực rỡ đêm giao thừa - Báo Mẫu"), url: "http://baomau.vn/the-thao/a.html")
        XCTAssertEqual(list.metadata["section"], "Thể thao")
        XCTAssertEqual(list.lines(.section), ["Thể thao"])
        let dataVocabulary = html(article(header: """
            <div itemscope itemtype="http://data-vocabulary.org/Breadcrumb"><a itemprop="url" href="/giai-tri"><span itemprop="title">Giải trí</span></a></div>
            """))
        XCTAssertEqual(dataVocabulary.metadata["section"], "Giải trí")
        // JSON-LD breadcrumbs name the section when the page shows none (metadata only: no text).
        let json = html(article(head: """
            <script type="application/ld+json">{"@type":"BreadcrumbList","itemListElement":[
            {"@type":"ListItem","position":1,"item":{"@id":"/","name":"Trang chủ"}},
            {"@type":"ListItem","position":2,"item":{"@id":"/doi-song","name":"Đời sống"}},
            {"@type":"ListItem","position":3,"name":"Pháo hoa rực rỡ đêm giao thừa"}]}</script>
            """, title: "Pháo hoa rực rỡ đêm giao thừa"))
        XCTAssertEqual(json.metadata["section"], "Đời sống")
        XCTAssertEqual(json.ranges(.section), [])
    }

    func testSectionFromACategoryLinkNextToTheHeadline() {
        let doc = html(article(header: "<div class=\"subheader\"><a class=\"sub_cate\" href=\"/xa-hoi\">Xã hội</a></div>"))
        XCTAssertEqual(doc.metadata["section"], "Xã hội")
        XCTAssertEqual(doc.lines(.section), ["Xã hội"])
        // A category list in a menu is no section.
        let menu = html(article(header: "<ul class=\"menu\"><li class=\"cate\"><a href=\"/a\">Xã hội</a></li></ul>"), url: nil)
        XCTAssertNil(menu.metadata["section"])
    }

    func testSectionFromAnUnmarkedHomeTrailOrTheTitle() {
        let trail = html(article(header: """
            <div class="navigationDetail"><a href="/">Trang chủ</a><span></span><a href="/hau-truong">Hậu trường</a><span></span><a href="/hollywood">Hollywood</a></div>
            <div class="share"><a href="#"><img alt="Facebook"></a></div>
            """))
        XCTAssertEqual(trail.metadata["section"], "Hollywood")
        let titled = html(article(header: "<div class=\"caption\"><h2><a href=\"/p0c1019/phap-luat.htm\">Pháp luật</a></h2></div>",
                                  title: "Pháo hoa rực rỡ đêm giao thừa | Pháp luật | Người Lao Động Online"))
        XCTAssertEqual(titled.metadata["section"], "Pháp luật")
        XCTAssertEqual(titled.lines(.section), ["Pháp luật"])
    }

    func testSectionFromTheURLPathWhenThePageHasNone() {
        let doc = html(article(title: "Pháo hoa rực rỡ đêm giao thừa"), url: "https://baomau.vn/suc-khoe/phao-hoa-ruc-ro-123.htm")
        XCTAssertEqual(doc.metadata["section"], "suc-khoe")
        XCTAssertEqual(doc.ranges(.section), [])
        // An id is no section; neither is a bare article path.
        XCTAssertNil(html(article(title: "Pháo hoa"), url: "http://nld.com.vn/20121226051446379p0c1019/bai.htm").metadata["section"])
        XCTAssertNil(html(article(title: "Pháo hoa"), url: "http://baomau.vn/phao-hoa.htm").metadata["section"])
    }

    // MARK: Body

    func testBodyIsTheParagraphBlockNotTheBoilerplate() {
        let doc = html(article(tail: """
            <div class="comment"><p>Bình luận của bạn đọc: bài viết rất hay và bổ ích cho mọi người.</p></div>
            <div class="tags"><a href="/tag/a">pháo hoa</a></div>
            """))
        let body = doc.joined(.body)
        XCTAssertTrue(body.contains("lực lượng chức năng đã phân luồng giao thông"))
        for boilerplate in ["Bình luận của bạn đọc", "Người dân háo hức chờ đón giao thừa", "Tin đọc nhiều nhất",
                            "Giấy phép số 123", "Thời sự", "Báo Mẫu điện tử"] {
            XCTAssertFalse(body.contains(boilerplate), boilerplate)
        }
        assertSound(doc)
    }

    func testNamedContentBlocksWin() {
        for (attribute, expected) in [("class=\"fck_detail\"", true), ("itemprop=\"articleBody\"", true),
                                      ("class=\"article-body\"", true), ("id=\"noidung\"", true), ("class=\"entry-content\"", true)] {
            // The named block holds less text than an unnamed one beside it.
            let page = article(tail: "").replacingOccurrences(of: "<div class=\"text\">", with: """
                <div \(attribute)><p>Đoạn văn của bài viết nằm trong khối được đặt tên là nội dung chính của trang.</p></div>
                <div class="text">
                """)
            let doc = html(page)
            XCTAssertEqual(doc.joined(.body).hasPrefix("Đoạn văn của bài viết"), expected, attribute)
            XCTAssertFalse(doc.joined(.body).contains("lực lượng chức năng"), attribute)
        }
    }

    func testArticleElementsAreTheBody() {
        let doc = html("""
            <title>T</title><body><nav><a href="/">Trang chủ</a></nav>
            <div class="box"><p>Khối bên ngoài có nhiều chữ hơn cả bài viết nhưng không phải là bài viết chính.</p>
            <p>Thêm một đoạn nữa để khối này dài hơn bài viết được đánh dấu bằng thẻ article.</p></div>
            <article><h1>Tiêu đề</h1><p>Nội dung bài.</p></article></body>
            """)
        XCTAssertEqual(doc.strings(.body), ["Tiêu đề\nNội dung bài."])
    }

    func testPagesWithoutAHeadlineKeepThePageLessBoilerplate() {
        let doc = html("""
            <title>Báo Mẫu - Tin tức mới nhất</title><body><ul class="nav"><li><a href="/a">Thời sự</a></li></ul>
            <div class="col"><h3><a href="/1">Tin thứ nhất về giao thông đô thị</a></h3><p>Tóm tắt tin thứ nhất về giao thông đô thị trong ngày.</p></div>
            <div class="col"><h3><a href="/2">Tin thứ hai về giáo dục</a></h3><p>Tóm tắt tin thứ hai về giáo dục và tuyển sinh năm nay.</p></div>
            <p class="hotline">Đường dây nóng: 0900 000 000</p>
            <div class="sidebar"><p>Quảng cáo bên lề</p></div><div id="footer">Giấy phép</div></body>
            """)
        let body = doc.joined(.body)
        XCTAssertTrue(body.contains("Tin thứ nhất"))
        XCTAssertTrue(body.contains("Tin thứ hai"))
        XCTAssertTrue(body.contains("Đường dây nóng"))
        XCTAssertFalse(body.contains("Quảng cáo bên lề"))
        XCTAssertFalse(body.contains("Giấy phép"))
        XCTAssertFalse(body.contains("Thời sự"))
    }

    // MARK: Menu, footer, links

    func testMenuItemsAreRangesOfTheirOwn() throws {
        let doc = html(article())
        XCTAssertEqual(doc.strings(.menu), ["Thời sự", "Thế giới", "Kinh tế"])
        let r = try XCTUnwrap(doc.ranges(.menu).first)
        XCTAssertEqual(source(doc, r), "Thời sự")
        // Separators are no items; inline links of a menu bar are split.
        let bar = html("<div class=\"topmenu\"><a href=\"/a\">Trang chủ</a> | <a href=\"/b\">Tin nóng</a> | <a href=\"/c\">Thể thao</a></div>")
        XCTAssertEqual(bar.strings(.menu), ["Trang chủ", "Tin nóng", "Thể thao"])
        assertSound(bar)
    }

    func testFooterHoldsTheLicenceLine() {
        let doc = html(article())
        XCTAssertEqual(doc.lines(.footer), ["Giấy phép số 123/GP-BTTTT do Bộ Thông tin và Truyền thông cấp."])
    }

    func testLinkTextsAndCount() {
        let doc = html("""
            <body><ul class="menu"><li><a href="/a">Thời sự</a></li></ul>
            <p>Xem thêm <a href="/b">bài liên quan</a> tại đây.</p>
            <h3><a href="/c">Tin thứ ba</a></h3>
            <a href="/d"><img src="x.jpg" alt="Ảnh"></a>
            <a href="/e">   </a>
            <div><a name="top">Neo không phải liên kết</a></div></body>
            """)
        // Inline links stay part of their sentence: counted, but not ranges of their own.
        XCTAssertEqual(doc.strings(.link), ["Thời sự", "Tin thứ ba"])
        XCTAssertEqual(doc.metadata["links"], "3")
        XCTAssertTrue(doc.joined(.paragraph).contains("Xem thêm bài liên quan tại đây."))
        assertSound(doc)
    }

    // MARK: Robustness

    func testAnatomyOnHostileInputStaysLinearAndSound() {
        let patterns: [String] = [
            String(repeating: "<div class=\"breadcrumb\"><a href=\"/x\">Mục</a>", count: 50_000),
            String(repeating: "<script type=\"application/ld+json\">{\"author\":{\"name\":\"A\"},\"x\":[", count: 20_000),
            "<script type=\"application/ld+json\">" + String(repeating: "[{\"author\":", count: 100_000),
            String(repeating: "<p class=\"author\">Minh Anh</p>", count: 50_000),
            String(repeating: "<span class=\"date\">12/3/2012</span><h1>Tiêu đề bài viết dài</h1>", count: 20_000),
            String(repeating: "<a href=\"http://a\(0).vn/x\">Theo X</a> ", count: 50_000),
            String(repeating: "<div class=\"content detail fck_detail sidebar comment cate source time logo\">", count: 50_000) + "chữ",
            String(repeating: "<table><tr><td><p>Đoạn văn bản đủ dài để được tính điểm như một đoạn.</p>", count: 20_000),
            "<title>A - B</title>" + String(repeating: "<p>Nguồn: X</p><p>PV</p>\n", count: 50_000),
        ]
        for pattern in patterns {
            let start = Date()
            let doc = html(pattern, url: "http://a.vn/b/c")
            XCTAssertLessThan(Date().timeIntervalSince(start), 20, String(pattern.prefix(40)))
            XCTAssertEqual(scopeShapeProblems(doc, requireLineBreaks: true), [], String(pattern.prefix(40)))
        }
    }

    /// Random soups of the markup the anatomy reads; JSON-LD separators and escapes are
    /// replacement segments of their own, so the check here is the map's order and bounds.
    func testRandomAnatomySoups() {
        let pieces = ["<div class=\"breadcrumb\">", "</div>", "<a href=\"/x\">", "</a>", "<p>", "</p>", "<h1>", "</h1>",
                      "<title>", "</title>", "Tiêu đề - Báo", " | ", "<span class=\"date\">", "</span>", "12/3/2012",
                      "<script type=\"application/ld+json\">", "</script>", "{\"author\":{\"name\":\"", "\"}}", "\\u00ea", "\\",
                      "<div class=\"sidebar\">", "<div class=\"fck_detail\">", "<article>", "</article>", "Theo Tuổi Trẻ",
                      "Nguồn: X", "(TTXVN)", "Minh Anh", "PV", "<p class=\"author\">", "<div class=\"logo\"><img alt=\"Logo\">",
                      "<meta property=\"og:site_name\" content=\"", "\">", "<ul class=\"menu\"><li>", "</li>", "<br>", "\n",
                      "Đoạn văn bản khá dài của bài viết để tính điểm. ", "<time datetime=\"2012-01-01\">", "</time>", "<",
                      "&amp;", "<div class=\"cate\">", "Trang chủ", "›"]
        var generator = SplitMix(seed: 0xA7A7)
        for round in 0..<800 {
            let page = (0..<generator.next(150)).map { _ in pieces[generator.next(pieces.count)] }.joined()
            let doc = html(page, url: round % 3 == 0 ? "http://bao.vn/muc/bai.htm" : nil)
            XCTAssertEqual(scopeShapeProblems(doc, requireLineBreaks: true), [], page)
            var lastLower = 0, lastUpper = 0
            for p in 0..<doc.text.count {
                let sr = doc.map.sourceRange(of: p..<(p + 1))
                XCTAssertTrue(sr.lowerBound >= lastLower && sr.upperBound >= lastUpper && sr.upperBound <= doc.source.count, page)
                lastLower = sr.lowerBound
                lastUpper = sr.upperBound
            }
            // Ranges come back from their source bytes (short of the page's end, where the
            // url and domain lines are mapped too).
            for (scope, ranges) in doc.scopes where scope != .url && scope != .domain && scope != .text {
                for r in ranges where doc.map.sourceRange(of: r).upperBound < doc.source.count {
                    XCTAssertEqual(doc.map.derivedRange(forSource: doc.map.sourceRange(of: r)), r, "\(scope) \(page)")
                }
            }
        }
    }
}
