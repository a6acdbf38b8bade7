import Foundation
import TonchiCore
@testable import TonchiRules
import XCTest

/// The legal catalog: the fields an inspector's report needs, and links that must not dangle.
final class CatalogTests: XCTestCase {
    func testRecordFieldsAreParsed() throws {
        var catalog = LegalCatalog()
        let problems = catalog.load(yaml: """
        - id: X/D1/K2/a
          instrument: "Nghị định X"
          location: {dieu: 1, khoan: 2, diem: a}
          behaviour_vi: "Hành vi"
          fine_org: [10000000, 20000000]
          fine_ind: [5000000, 10000000]
          fine_note: "fine_ind derived"
          additional: ["tịch thu"]
          remedial: ["buộc gỡ bỏ"]
          legal_base: ["L/D2"]
          valid_from: 2020-04-15
          valid_to: 2026-06-30
          replaced_by: "Y/D9/K1"
          sources: ["https://example.vn/a"]
          confidence: verified
        - id: X/D5
          location: {dieu: 5, khoan: "not seen", diem: null}
          fine_org: {nhe: [1000000, 2000000], nang: [5000000, 6000000]}
          fine_ind: null
        - {id: L/D2, rule_vi: "Nghĩa vụ", sanction: ["X/D1/K2/a", "X/D5 (unsure)"], source: PD-BC}
        """, file: "t.yaml")
        XCTAssertEqual(problems, [])
        let p = try XCTUnwrap(catalog.provision("X/D1/K2/a"))
        XCTAssertEqual(p.location, .init(article: "1", clause: "2", point: "a"))
        XCTAssertEqual(p.fineOrganisation, [.init(label: nil, min: 10_000_000, max: 20_000_000)])
        XCTAssertEqual(p.fineIndividual, [.init(label: nil, min: 5_000_000, max: 10_000_000)])
        XCTAssertEqual(p.additional, ["tịch thu"])
        XCTAssertEqual(p.remedial, ["buộc gỡ bỏ"])
        XCTAssertEqual(p.legalBase, ["L/D2"])
        XCTAssertEqual(p.replacedBy, "Y/D9/K1")
        XCTAssertEqual(p.validTo, Day("2026-06-30"))
        let bands = try XCTUnwrap(catalog.provision("X/D5"))
        XCTAssertEqual(bands.location.clause, "not seen")
        XCTAssertEqual(bands.fineOrganisation.map(\.label), ["nang", "nhe"])
        XCTAssertEqual(bands.fineIndividual, [])
        let duty = try XCTUnwrap(catalog.provision("L/D2"))
        XCTAssertEqual(duty.behaviour, "Nghĩa vụ")
        XCTAssertEqual(duty.sanctionedBy, ["X/D1/K2/a", "X/D5 (unsure)"])
        XCTAssertEqual(duty.sources, ["PD-BC"])
        // Only the replacement is missing; a note after an id does not make it dangle.
        XCTAssertEqual(catalog.unresolvedReferences(), ["X/D1/K2/a → Y/D9/K1"])
    }

    func testMalformedFineIsReported() {
        var catalog = LegalCatalog()
        let problems = catalog.load(yaml: "- {id: A, fine_org: [20, 10]}\n- {id: B, fine_ind: \"½\"}", file: "t.yaml")
        XCTAssertEqual(problems.count, 2, "\(problems)")
    }

    func testBundledCatalogIsConsistent() throws {
        let catalog = try legalCatalog()
        XCTAssertEqual(catalog.unresolvedReferences(), [])
        for p in catalog.provisions.values {
            XCTAssertFalse(p.instrument.isEmpty, "\(p.id): no instrument")
            XCTAssertFalse(p.behaviour.isEmpty, "\(p.id): no summary")
            XCTAssertNotNil(p.location.article, "\(p.id): no article")
            XCTAssertFalse(p.sources.isEmpty, "\(p.id): no source")
            if let from = p.validFrom, let to = p.validTo { XCTAssertLessThanOrEqual(from, to, p.id) }
            // An individual's fine computed with the ½ rule must be exactly half of the organisation's.
            if p.fineNote?.contains("fine_ind derived") == true {
                XCTAssertEqual(p.fineIndividual, p.fineOrganisation.map { .init(label: $0.label, min: $0.min / 2, max: $0.max / 2) }, p.id)
            }
        }
        // The 01/7/2026 switch for home-page information (TT09-2014/D2/K3 → ND15 → ND174).
        XCTAssertEqual(catalog.provision("ND15-2020/D99/K1")?.replacedBy, "ND174-2026/D93/K1")
        XCTAssertEqual(catalog.provision("ND174-2026/D93/K1")?.validFrom, Day("2026-07-01"))
        XCTAssertEqual(catalog.provision("TT09-2014/D2/K3")?.sanctionedBy, ["ND15-2020/D99/K1", "ND174-2026/D93/K1"])
    }
}
