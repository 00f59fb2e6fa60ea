import XCTest
@testable import Retrieval

final class FigureCheckTests: XCTestCase {
    func testFiguresAreDigitRunsWithDecimalsAndThousands() {
        XCTAssertEqual(FigureCheck.figures(in: "Qwen2.5 有 1,000 个样本，提升 3.5%，版本 1.2.3。"), ["2.5", "1000", "3.5", "1.2.3"])
        XCTAssertEqual(FigureCheck.figures(in: "分别是 1,2,3 和 ２０１７ 年。"), ["1", "2", "3", "2017"], "a list, full-width digits")
        XCTAssertEqual(FigureCheck.figures(in: "共 3 步."), ["3"], "a full stop after a figure is not a decimal point")
    }

    func testALeadingListNumberIsNotAFigure() {
        XCTAssertEqual(FigureCheck.figures(in: "2. 微调用 500 条数据。", skippingListMarker: true), ["500"])
        XCTAssertEqual(FigureCheck.figures(in: "3、第二步", skippingListMarker: true), [])
        XCTAssertEqual(FigureCheck.figures(in: "3.5 倍的速度", skippingListMarker: true), ["3.5"])
    }

    func testChineseNumeralsHaveTheirValues() {
        XCTAssertEqual(FigureCheck.chineseNumeralValues(in: "分三个阶段"), [3])
        XCTAssertEqual(FigureCheck.chineseNumeralValues(in: "十二层，二十个头，三百五十步"), [12, 20, 350])
        XCTAssertEqual(FigureCheck.chineseNumeralValues(in: "一万条，三四天"), [10_000, 3, 4])
        XCTAssertEqual(FigureCheck.chineseNumeralValues(in: "万物生长"), [], "万 alone counts nothing")
    }

    func testOnlyFiguresNoSourceContainsAreUnbacked() {
        let check = FigureCheck(sources: ["预训练分三个阶段，使用了 2,000 亿个词元。", "Qwen2.5 有多少参数？"])
        XCTAssertEqual(check.unbacked(in: "预训练分 3 个阶段，用了 2000 亿个词元。"), [])
        XCTAssertEqual(check.unbacked(in: "Qwen2.5 有 1.8 万亿参数，训练 1.8 个月，共 12 层。"), ["1.8", "12"])
        XCTAssertEqual(check.unbacked(in: "1. 预训练很贵。"), [], "the list number is not a claim")
    }
}
