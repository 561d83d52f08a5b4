"""Texts the channels themselves send (no Rasa import, so tests can share them)."""

APOLOGY = (
    "Xin lỗi, hệ thống tra cứu đang tạm thời gián đoạn nên tôi chưa trả lời được câu hỏi của bạn. "
    "Bạn vui lòng thử lại sau ít phút, hoặc liên hệ Bộ phận Một cửa nơi gần nhất để được hỗ trợ."
)
BAD_REQUEST = 'Yêu cầu không hợp lệ: hãy gửi JSON dạng {"sender": "<mã người dùng>", "message": "<câu hỏi>"}.'
