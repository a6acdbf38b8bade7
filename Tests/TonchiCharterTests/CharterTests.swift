import Foundation
import TonchiCharter
import TonchiCore
import XCTest

final class CharterTests: XCTestCase {
    let samples = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Samples/charters")

    func testEverySampleLoads() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: samples.path).filter { $0.hasSuffix(".yaml") }.sorted()
        XCTAssertGreaterThanOrEqual(files.count, 4)
        var kinds = Set<PublicationKind>()
        for file in files {
            let charter = try Charter.load(path: samples.appendingPathComponent(file).path)
            XCTAssertFalse(charter.name.isEmpty, file)
            XCTAssertNotNil(charter.licence?.number, file)
            XCTAssertFalse(charter.topics.isEmpty, file)
            kinds.insert(charter.kind)
        }
        XCTAssertEqual(kinds, [.tapChiDienTu, .tapChiKhoaHoc, .trangTTDTTongHop, .baoDienTu])
        let magazine = try Charter.load(path: samples.appendingPathComponent("tap-chi-suc-khoe.yaml").path)
        XCTAssertEqual(magazine.licence?.date, Day("2023-05-12"))
        XCTAssertEqual(magazine.domains, ["suckhoegiadinh.example.vn"])
        XCTAssertTrue(magazine.purpose?.contains("y học dự phòng") == true)
    }

    func testErrorsNameFieldAndLine() {
        func error(_ yaml: String) -> String {
            do { _ = try Charter.parse(yaml, file: "c.yaml"); return "no error" } catch { return "\(error)" }
        }
        XCTAssertEqual(error("name: A\nkind: bao-giay\n"),
                       "c.yaml:2:7: charter field 'kind': unknown publication kind 'bao-giay'; known: bao-dien-tu, tap-chi-dien-tu, tap-chi-khoa-hoc, trang-ttdt-tong-hop, mang-xa-hoi")
        XCTAssertEqual(error("kind: tap-chi-dien-tu\n"), "c.yaml:1:1: charter field 'name': missing (required)")
        XCTAssertEqual(error("name: A\nkind: tap-chi-dien-tu\nlicence:\n  number: 1/GP\n  date: 31/02/2023\n"),
                       "c.yaml:5:9: charter field 'licence.date': expected a date YYYY-MM-DD or D/M/YYYY, found '31/02/2023'")
        XCTAssertTrue(error("name: A\nkind: tap-chi-dien-tu\ndomain: x.vn\n").hasPrefix("c.yaml:3:1: charter field 'domain': unknown field"))
        XCTAssertTrue(error("name: [unclosed\n").contains("not valid YAML"))
        XCTAssertEqual(error("- a\n- b\n"), "c.yaml:1:1: charter field '-': expected a mapping of fields (name: …, kind: …)")
    }
}
