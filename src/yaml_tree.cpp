// libyaml events -> caseflow::yaml::document (see yaml_tree.hpp for why).
#include "yaml_tree.hpp"

#include <algorithm>
#include <cstring>
#include <unordered_map>

#include <yaml.h>

#include "text_file.hpp"

namespace caseflow::yaml {

const node* node::get(std::string_view key) const noexcept {
    for (const auto& [k, v] : entries())
        if (k->is_scalar() && k->text_ == key) return v;
    return nullptr;
}

node& document::new_node() {
    constexpr std::size_t block = 256;
    if (blocks_.empty() || block_used_ == block) {
        blocks_.push_back(std::make_unique<node[]>(block));
        block_used_ = 0;
    }
    return blocks_.back()[block_used_++];
}

namespace {

/// Marks as libyaml counts them: lines, and columns in characters, so that
/// a column is the one an editor shows (a Chinese character is one column,
/// as inside expressions), and a UTF-8 byte order mark is no column at all.
/// A line starts after any line break libyaml knows: LF, CR LF, a lone CR,
/// NEL, LS and PS.  The locator finds the bytes of a mark where the text
/// itself is read: the token after an absent value, the character at an error.
class locator {
public:
    explicit locator(std::string_view text)
        : text_(text.substr(detail::bom_length(text))),
          ascii_(std::none_of(text_.begin(), text_.end(), [](char c) { return (c & 0x80) != 0; })) {}

    static mark at(const yaml_mark_t& m) { return {static_cast<int>(m.line), static_cast<int>(m.column)}; }

    /// Where yaml-cpp marks an absent value: at the next token, past blanks,
    /// line breaks and comments; at the end of the text, column 0 of the last line.
    mark next_token(const yaml_mark_t& m) {
        std::size_t i = offset(m.index);
        int line = static_cast<int>(m.line);
        while (i < text_.size()) {
            char c = text_[i];
            if (c == '#') {
                while (i < text_.size() && text_[i] != '\n' && text_[i] != '\r' && !break_length(i)) ++i;
            } else if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                if (break_length(i)) ++line;
                ++i;
            } else if (const std::size_t n = break_length(i)) {  // NEL, LS, PS
                ++line;
                i += n;
            } else {
                break;
            }
        }
        return {line, i == text_.size() ? 0 : column(i)};
    }

    /// The character `n` characters after mark `m` (UTF-8: one or more bytes).
    std::string_view char_after(const yaml_mark_t& m, std::size_t n) {
        std::size_t from = offset(m.index + n);
        return text_.substr(from, offset(m.index + n + 1) - from);
    }

private:
    // Byte offset of character `index`; marks mostly come in increasing
    // order, so the walk resumes where the previous one stopped.  One step a
    // character: the length of a UTF-8 sequence is in its lead byte.
    std::size_t offset(std::size_t index) {
        if (ascii_) return std::min(index, text_.size());
        if (index < char_) char_ = byte_ = 0;
        while (char_ < index && byte_ < text_.size()) {
            const auto c = static_cast<unsigned char>(text_[byte_]);
            byte_ += c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
            ++char_;
        }
        byte_ = std::min(byte_, text_.size());
        return byte_;
    }

    /// The length of the line break that starts at byte i, or 0: the CR of
    /// a CR LF is none (its LF is).
    std::size_t break_length(std::size_t i) const {
        const std::string_view rest = text_.substr(i);
        if (rest[0] == '\n') return 1;
        if (rest[0] == '\r') return rest.size() > 1 && rest[1] == '\n' ? 0 : 1;
        if (rest.substr(0, 2) == "\xC2\x85") return 2;
        if (rest.substr(0, 3) == "\xE2\x80\xA8" || rest.substr(0, 3) == "\xE2\x80\xA9") return 3;
        return 0;
    }

    /// The column of the character at byte `at`: the characters before it on its line.
    int column(std::size_t at) const {
        std::size_t start = at;
        while (start > 0 && !line_ends_before(start)) --start;
        return detail::char_count(text_.substr(start, at - start));
    }
    bool line_ends_before(std::size_t i) const {
        for (std::size_t n = 1; n <= 3 && n <= i; ++n)
            if (break_length(i - n) == n) return true;
        return false;
    }

    std::string_view text_;
    bool ascii_;
    std::size_t char_ = 0, byte_ = 0;
};

struct parser_handle {
    yaml_parser_t p;
    parser_handle() {
        if (!yaml_parser_initialize(&p)) throw std::bad_alloc();
    }
    ~parser_handle() { yaml_parser_delete(&p); }
    parser_handle(const parser_handle&) = delete;
    parser_handle& operator=(const parser_handle&) = delete;
};

struct event_handle {
    yaml_event_t e;
    ~event_handle() { yaml_event_delete(&e); }
};

bool null_text(std::string_view s) {
    return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL";
}

// libyaml's problem, worded as yaml-cpp worded the same mistake where it has
// a wording (diagnostics and their tests predate libyaml).
std::string problem_text(const yaml_parser_t& p, locator& loc, const node* open, bool open_is_flow) {
    const std::string problem = p.problem ? p.problem : "unknown problem";
    const std::string_view here = loc.char_after(p.problem_mark, 0);
    bool in_flow_seq = open && open_is_flow && open->is_sequence();
    bool in_flow_map = open && open_is_flow && open->is_map();
    if (problem == "did not find expected ',' or ']'" || (in_flow_seq && problem == "did not find expected node content"))
        return "end of sequence flow not found";
    if (problem == "did not find expected ',' or '}'" || (in_flow_map && problem == "did not find expected node content"))
        return "end of map flow not found";
    if (problem == "did not find expected key") return "end of map not found";
    if (problem == "did not find expected '-' indicator") return "end of sequence not found";
    if (problem == "mapping values are not allowed in this context") return "illegal map value";
    if (problem == "mapping keys are not allowed in this context") return "illegal map key";
    if (problem == "block sequence entries are not allowed in this context") return "illegal block entry";
    if (problem == "found character that cannot start any token")
        return here == "\t" ? "illegal tab when looking for indentation" : "unknown token";
    if (problem == "found unknown escape character")  // the mark is at the backslash
        return "unknown escape character: " + std::string(loc.char_after(p.problem_mark, 1));
    if (p.context) return std::string(p.context) + ": " + problem;
    return problem;
}

}  // namespace

std::string syntax_error::report() const {
    static constexpr std::pair<std::string_view, std::string_view> hints[] = {
        {"end of sequence flow not found", "close the list with ']' and separate its items with ','"},
        {"end of map flow not found", "close the mapping with '}' and separate its entries with ','"},
        {"end of map not found", "start every key of this mapping at the same column, each as 'key: value'"},
        {"end of sequence not found", "start every item of this list with '- ' at the same column"},
        {"illegal map value", "quote the value if its ': ' is text, or move the nested mapping to its own indented lines"},
        {"illegal map key", "quote a key that starts with '?', or move it to its own line"},
        {"illegal block entry", "start a '- ' list on its own line, indented under its key"},
        {"illegal tab when looking for indentation", "indent with spaces: YAML does not allow tabs there"},
        {"unknown token", "quote the value: it starts with a character YAML reserves ('@' or '`')"},
        {"unknown escape character", "write a backslash inside double quotes as '\\\\', or use single quotes"},
        {"the referenced anchor is not defined", "define the anchor with '&name' before '*name' refers to it"},
        {"the file is UTF-32", "save it as UTF-8 (or as UTF-16)"},
    };
    const std::string_view what = this->what();
    std::string_view hint = "check the quoting and indentation at this position";
    for (const auto& [start, h] : hints)
        if (what.substr(0, start.size()) == start) hint = h;
    std::string out = "YAML syntax error: ";
    out.append(what).append("; ").append(hint);
    return out;
}

document::document(std::string_view text) {
    if (detail::is_utf32(text)) throw syntax_error(mark{0, 0}, "the file is UTF-32");
    const std::string utf8 = detail::utf8_of_utf16(text);
    if (!utf8.empty()) text = utf8;
    parser_handle parser;
    yaml_parser_set_input_string(&parser.p, reinterpret_cast<const unsigned char*>(text.data()), text.size());
    locator loc(text);

    struct open_collection {
        node* n;
        bool flow;
        std::size_t first;  // its first child in `pending` (a mapping: key, value, key, ...)
    };
    std::vector<open_collection> stack;
    std::vector<const node*> pending;  // children of the open collections, innermost last
    std::vector<node*> collections;    // to point at their children once the pools stop growing
    std::vector<std::pair<std::string, node*>> open_anchors;  // anchored collections not yet closed
    std::unordered_map<std::string, const node*> anchors;

    auto add = [&](const node* n) {
        if (stack.empty()) root_ = n;
        else pending.push_back(n);
    };

    for (bool done = false; !done;) {
        event_handle ev;
        if (!yaml_parser_parse(&parser.p, &ev.e)) {
            const bool flow = !stack.empty() && stack.back().flow;
            throw syntax_error(loc.at(parser.p.problem_mark),
                               problem_text(parser.p, loc, stack.empty() ? nullptr : stack.back().n, flow));
        }
        const yaml_event_t& e = ev.e;
        switch (e.type) {
            case YAML_ALIAS_EVENT: {
                auto it = anchors.find(reinterpret_cast<const char*>(e.data.alias.anchor));
                // An alias of a collection still open (a cycle) is refused too.
                if (it == anchors.end())
                    throw syntax_error(loc.at(e.start_mark), "the referenced anchor is not defined");
                add(it->second);
                break;
            }
            case YAML_SCALAR_EVENT: {
                node& n = new_node();
                const auto& s = e.data.scalar;
                std::string_view value(reinterpret_cast<const char*>(s.value), s.length);
                const char* tag = reinterpret_cast<const char*>(s.tag);
                const bool plain = s.style == YAML_PLAIN_SCALAR_STYLE;
                if (!tag && plain && null_text(value)) {
                    n.kind_ = node::kind::null;
                    n.mark_ = value.empty() && !s.anchor ? loc.next_token(e.start_mark) : loc.at(e.start_mark);
                } else {
                    n.kind_ = node::kind::scalar;
                    n.text_.assign(value);
                    n.quoted_ = tag ? std::strcmp(tag, "!") == 0 : !plain;
                    n.mark_ = loc.at(e.start_mark);
                }
                if (s.anchor) anchors[reinterpret_cast<const char*>(s.anchor)] = &n;
                add(&n);
                break;
            }
            case YAML_SEQUENCE_START_EVENT:
            case YAML_MAPPING_START_EVENT: {
                node& n = new_node();
                const bool seq = e.type == YAML_SEQUENCE_START_EVENT;
                n.kind_ = seq ? node::kind::sequence : node::kind::map;
                n.mark_ = loc.at(e.start_mark);
                const yaml_char_t* anchor = seq ? e.data.sequence_start.anchor : e.data.mapping_start.anchor;
                const bool flow = seq ? e.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE
                                      : e.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE;
                if (anchor) open_anchors.emplace_back(reinterpret_cast<const char*>(anchor), &n);
                add(&n);
                stack.push_back({&n, flow, pending.size()});
                collections.push_back(&n);
                break;
            }
            case YAML_SEQUENCE_END_EVENT:
            case YAML_MAPPING_END_EVENT: {
                node* const closed = stack.back().n;
                const auto first = pending.begin() + static_cast<std::ptrdiff_t>(stack.back().first);
                stack.pop_back();
                if (closed->kind_ == node::kind::sequence) {
                    closed->first_ = static_cast<std::uint32_t>(item_pool_.size());
                    item_pool_.insert(item_pool_.end(), first, pending.end());
                } else {  // libyaml always closes a mapping after a value
                    closed->first_ = static_cast<std::uint32_t>(entry_pool_.size());
                    for (auto k = first; k != pending.end(); k += 2) entry_pool_.emplace_back(k[0], k[1]);
                }
                closed->count_ = static_cast<std::uint32_t>(closed->kind_ == node::kind::sequence ? pending.end() - first
                                                                                                  : (pending.end() - first) / 2);
                pending.erase(first, pending.end());
                if (!open_anchors.empty() && open_anchors.back().second == closed) {
                    anchors[open_anchors.back().first] = closed;
                    open_anchors.pop_back();
                }
                break;
            }
            case YAML_DOCUMENT_END_EVENT:
            case YAML_STREAM_END_EVENT:
                done = true;  // like YAML::Load: the first document only
                break;
            default:
                break;
        }
    }
    if (!root_) root_ = &new_node();  // no document: null, no mark
    for (node* n : collections) {
        if (n->kind_ == node::kind::sequence) n->children_ = item_pool_.data() + n->first_;
        else n->children_ = entry_pool_.data() + n->first_;
    }
}

}  // namespace caseflow::yaml
