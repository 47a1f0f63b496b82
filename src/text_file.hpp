// Text files as every reader of caseflow sees them.  Whole-file reads for the
// rule and calendar loaders: one fread into a string of the file's size (an
// ifstream copied through an ostringstream or istreambuf_iterator was a
// measurable part of loading the shipped rules).  And positions: a column
// counts characters, as an editor shows them, and a UTF-8 byte order mark
// (which Windows editors write) is no column.
#pragma once

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

/// 3 when `text` starts with a UTF-8 byte order mark, else 0.
inline std::size_t bom_length(std::string_view text) { return text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0; }

/// The characters of UTF-8 `text` (its bytes but continuation bytes).
inline int char_count(std::string_view text) {
    int n = 0;
    for (const char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return n;
}

}  // namespace caseflow::detail
