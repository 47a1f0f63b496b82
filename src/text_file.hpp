// Text files as every reader of caseflow sees them.  Whole-file reads for the
// rule and calendar loaders: one fread into a string of the file's size (an
// ifstream copied through an ostringstream or istreambuf_iterator was a
// measurable part of loading the shipped rules).  And positions: a column
// counts characters, as an editor shows them, and a UTF-8 byte order mark
// (which Windows editors write) is no column.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace caseflow::detail {

/// Reads the file at `path` into `out`; false (errno set) if it cannot be read.
inline bool read_text_file(const std::string& path, std::string& out) {
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) return false;
    out.clear();
    char buf[16384];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) out.append(buf, n);
    const bool ok = !std::ferror(f);
    std::fclose(f);
    return ok;
}

/// UTF-32 text, as the YAML spec recognises it by its first four bytes
/// (with or without a byte order mark); caseflow's readers refuse it.
inline bool is_utf32(std::string_view text) {
    if (text.size() < 4) return false;
    const bool big = text.substr(0, 2) == std::string_view("\0\0", 2);  // 00 00 FE FF, or 00 00 00 xx
    const bool little = text.substr(1, 3) == std::string_view("\0\0\0", 3) ||  // xx 00 00 00
                        text.substr(0, 4) == std::string_view("\xFF\xFE\0\0", 4);
    return big || little;
}

/// UTF-16 text (what Windows editors save as "Unicode") as UTF-8; empty for
/// any other text.  Recognised as the YAML spec says: by its byte order mark
/// (which becomes a UTF-8 mark, no column either), or without one by a NUL
/// byte before or after the first character.  libyaml reads only the first
/// kind itself, yaml-cpp both, but positions are found in UTF-8 bytes.  A
/// lone surrogate passes through, for the parser to refuse.
inline std::string utf8_of_utf16(std::string_view text) {
    if (text.size() < 2 || is_utf32(text)) return {};
    const bool marked = text.substr(0, 2) == "\xFF\xFE" || text.substr(0, 2) == "\xFE\xFF";
    const bool little = marked ? text[0] == '\xFF' : text[1] == '\0' && text[0] != '\0';
    if (!marked && !little && !(text[0] == '\0' && text[1] != '\0')) return {};
    auto unit = [&](std::size_t i) {
        const auto a = static_cast<unsigned char>(text[i]), b = static_cast<unsigned char>(text[i + 1]);
        return little ? std::uint32_t{a} | std::uint32_t{b} << 8 : std::uint32_t{a} << 8 | std::uint32_t{b};
    };
    std::string out = marked ? "\xEF\xBB\xBF" : "";
    for (std::size_t i = marked ? 2 : 0; i + 1 < text.size(); i += 2) {
        std::uint32_t c = unit(i);
        if (c >= 0xD800 && c < 0xDC00 && i + 3 < text.size() && unit(i + 2) >= 0xDC00 && unit(i + 2) < 0xE000) {
            c = 0x10000 + ((c - 0xD800) << 10) + (unit(i + 2) - 0xDC00);
            i += 2;
        }
        if (c < 0x80) {
            out += static_cast<char>(c);
        } else if (c < 0x800) {
            out += static_cast<char>(0xC0 | c >> 6);
            out += static_cast<char>(0x80 | (c & 0x3F));
        } else if (c < 0x10000) {
            out += static_cast<char>(0xE0 | c >> 12);
            out += static_cast<char>(0x80 | (c >> 6 & 0x3F));
            out += static_cast<char>(0x80 | (c & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | c >> 18);
            out += static_cast<char>(0x80 | (c >> 12 & 0x3F));
            out += static_cast<char>(0x80 | (c >> 6 & 0x3F));
            out += static_cast<char>(0x80 | (c & 0x3F));
        }
    }
    return out;
}

/// 3 when `text` starts with a UTF-8 byte order mark, else 0.
inline std::size_t bom_length(std::string_view text) { return text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0; }

/// The characters of UTF-8 `text` (its bytes but continuation bytes).
inline int char_count(std::string_view text) {
    int n = 0;
    for (const char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return n;
}

}  // namespace caseflow::detail
