// Column titles for people (--headers vi|en): the keys the CLI's tables use, in Vietnamese and
// English, as the web application words them.
#include <cctype>
#include <map>

#include "output.h"

namespace docket::cli {
namespace {

const std::map<std::string_view, Label>& known_headings() {
  static const std::map<std::string_view, Label> headings{
      {"number", {"Số hồ sơ", "Case number"}},
      {"title", {"Tiêu đề", "Title"}},
      {"workflow", {"Quy trình", "Workflow"}},
      {"stage", {"Bước", "Stage"}},
      {"stage_label", {"Tên bước", "Stage label"}},
      {"due", {"Hạn", "Due"}},
      {"overdue", {"Quá hạn", "Overdue"}},
      {"unit", {"Đơn vị", "Unit"}},
      {"assignee", {"Người xử lý", "Assignee"}},
      {"version", {"Phiên bản", "Version"}},
      {"updated_at", {"Cập nhật lúc", "Updated at"}},
      {"opened", {"Mở lúc", "Opened"}},
      {"stage_entered_at", {"Vào bước lúc", "Stage entered at"}},
      {"field", {"Trường", "Field"}},
      {"label", {"Nhãn", "Label"}},
      {"value", {"Giá trị", "Value"}},
      {"key", {"Mục", "Key"}},
      {"kind", {"Loại", "Kind"}},
      {"file_name", {"Tên tệp", "File name"}},
      {"size", {"Kích thước", "Size"}},
      {"media_type", {"Kiểu tệp", "Media type"}},
      {"attached_at", {"Đính kèm lúc", "Attached at"}},
      {"attached_by", {"Người đính kèm", "Attached by"}},
      {"reference", {"Số, ký hiệu", "Number and symbol"}},
      {"to", {"Gửi đến", "To"}},
      {"status", {"Trạng thái", "Status"}},
      {"made_at", {"Gửi lúc", "Made at"}},
      {"answered_at", {"Trả lời lúc", "Answered at"}},
      {"text", {"Nội dung", "Text"}},
      {"answer", {"Trả lời", "Answer"}},
      {"seq", {"STT", "Seq"}},
      {"at", {"Thời điểm", "At"}},
      {"actor", {"Người thực hiện", "Actor"}},
      {"type", {"Loại sự kiện", "Type"}},
      {"details", {"Chi tiết", "Details"}},
      {"id", {"Mã", "Id"}},
      {"name", {"Tên", "Name"}},
      {"level", {"Cấp", "Level"}},
      {"parent", {"Đơn vị cấp trên", "Parent"}},
      {"roles", {"Vai trò", "Roles"}},
      {"date", {"Ngày", "Date"}},
      {"weekday", {"Thứ", "Weekday"}},
      {"reason", {"Lý do", "Reason"}},
      {"period", {"Kỳ", "Period"}},
      {"as_of", {"Tính đến", "As of"}},
      {"scope", {"Phạm vi", "Scope"}},
      {"form", {"Hình thức", "Form"}},
      {"average_days_to_answer", {"Số ngày trả lời trung bình", "Average days to answer"}},
  };
  return headings;
}

}  // namespace

std::string column_heading(std::string_view key, std::string_view language) {
  if (const auto found = known_headings().find(key); found != known_headings().end())
    return language == "vi" ? found->second.vi : found->second.en;
  std::string heading(key);
  for (char& c : heading) c = c == '_' ? ' ' : c;
  if (!heading.empty()) heading[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(heading[0])));
  return heading;
}

}  // namespace docket::cli
