// Whole-file reads for the rule and calendar loaders: one fread into a string
// of the file's size (an ifstream copied through an ostringstream or
// istreambuf_iterator was a measurable part of loading the shipped rules).
#pragma once

#include <cstdio>
#include <string>

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

}  // namespace caseflow::detail
