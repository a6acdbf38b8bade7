import Foundation
import TonchiEvaluate
import TonchiRules

/// The bundled rules and their topic classifier, compiled once for all tests.
enum Bundled {
    static let ruleSet: RuleSet = try! RuleLoader.loadBundled()
    static let classifier: TopicClassifier = TopicClassifier(ruleSet: ruleSet)!
    static let repository = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}

/// Realistic articles written for these tests (not taken from any corpus).
enum Snippets {
    /// A construction dispute: what a health magazine must not publish.
    static let construction = """
        Dự án chung cư bị tố thi công sai phép, cư dân bức xúc
        Nhiều hộ dân phản ánh công trình xây dựng tòa nhà 25 tầng tại phường Bình An đang thi công vượt số tầng \
        so với giấy phép xây dựng. Theo hồ sơ, chủ đầu tư được cấp phép xây dựng 21 tầng và hai tầng hầm, nhưng \
        thực tế nhà thầu đã đổ bê tông sàn tầng 24. Thanh tra xây dựng quận đã lập biên bản, yêu cầu tạm dừng thi công \
        và tháo dỡ phần xây dựng sai phép. Cư dân các nhà liền kề cho biết tường nhà họ bị nứt, lún từ khi đơn vị thi công \
        ép cọc và đào móng tầng hầm. Sở Xây dựng cho biết sẽ kiểm tra lại kết cấu công trình, hồ sơ nghiệm thu và trách \
        nhiệm của đơn vị tư vấn giám sát. Nếu vi phạm được xác định, công trình vi phạm sẽ bị cưỡng chế phá dỡ phần \
        vượt phép; chủ đầu tư phải bồi thường thiệt hại cho các hộ dân. Một kiến trúc sư cho rằng việc tăng tầng làm \
        thay đổi tải trọng lên móng và cọc, ảnh hưởng tới an toàn của cả tòa nhà. Dự án này cũng đang chậm tiến độ \
        thi công gần hai năm so với cam kết với khách hàng mua nhà, trong khi giá vật liệu xây dựng như xi măng, sắt thép \
        tăng mạnh khiến nhà thầu đề nghị điều chỉnh gói thầu.
        """

    /// A health article: within a health magazine's charter.
    static let health = """
        Bác sĩ cảnh báo biến chứng của bệnh tiểu đường ở người trẻ
        Bệnh viện Nội tiết vừa tiếp nhận một bệnh nhân 28 tuổi nhập viện trong tình trạng hôn mê do đường huyết tăng cao. \
        Theo bác sĩ điều trị, người bệnh mắc đái tháo đường típ 2 nhưng không biết, vì triệu chứng ban đầu như khát nước, \
        sụt cân, mệt mỏi dễ bị bỏ qua. Sau ba ngày hồi sức tích cực, bệnh nhân đã tỉnh và được chuyển sang khoa nội. \
        Các chuyên gia y tế khuyến cáo người trẻ có thừa cân, béo phì, ít vận động nên khám sức khỏe định kỳ và xét nghiệm \
        đường huyết ít nhất mỗi năm một lần. Chế độ dinh dưỡng hợp lý, giảm đồ ngọt, tăng rau xanh và tập thể dục đều đặn \
        giúp phòng bệnh hiệu quả. Người đã được chẩn đoán cần dùng thuốc đúng phác đồ, theo dõi huyết áp, mỡ máu và tái khám \
        đúng hẹn để tránh biến chứng tim mạch, suy thận hay tổn thương mắt. Bác sĩ cũng lưu ý không tự ý dùng thực phẩm \
        chức năng thay cho thuốc điều trị, vì nhiều ca bệnh đã nặng lên khi bỏ thuốc.
        """

    static let football = """
        Đội tuyển Việt Nam thắng 2-0 ở vòng loại World Cup. Huấn luyện viên cho biết các cầu thủ đã thi đấu kỷ luật; \
        tiền đạo ghi bàn ở hiệp 1, trung vệ đánh đầu nâng tỷ số ở phút bù giờ. Thủ môn cứu thua một quả phạt đền.
        """

    static let stocks = """
        VN-Index tăng mạnh phiên cuối tuần, thanh khoản đạt hơn 20.000 tỷ đồng. Nhóm cổ phiếu ngân hàng dẫn dắt thị trường \
        chứng khoán; nhà đầu tư nước ngoài mua ròng. Lãi suất huy động giảm giúp dòng tiền quay lại kênh cổ phiếu.
        """

    static let exam = """
        Hơn một triệu thí sinh bước vào kỳ thi tốt nghiệp THPT. Bộ GD&ĐT cho biết đề thi bám sát chương trình, \
        điểm chuẩn xét tuyển đại học dự kiến tăng ở các ngành hot; học sinh nên ôn thi theo đề minh họa.
        """

    static let pagoda = """
        Đại lễ Phật đản được tổ chức trang nghiêm tại chùa, các hòa thượng, tăng ni và phật tử tụng kinh, \
        cầu an cho quốc thái dân an; giáo hội Phật giáo tỉnh phát động tuần lễ hướng thiện.
        """
}
