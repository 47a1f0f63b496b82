// The expression compiler: text -> tokens -> syntax tree -> typed tree -> a flat
// stack program (instruction set in expr_ops.hpp, evaluator in expr_eval.cpp).
// Everything that can go wrong is found here, at rule load time, so evaluation
// never fails.  The language reference is docs/expressions.md.
#include "caseflow/detail/expr.hpp"

#include <limits>
#include <memory>
#include <optional>

#include "caseflow/detail/suggest.hpp"
#include "caseflow/time.hpp"
#include "caseflow/value.hpp"
#include "expr_ops.hpp"

namespace caseflow::detail {
namespace {

namespace op = expr_op;

/// Parentheses and unary operators deeper than this are refused before the
/// recursive parser could exhaust the native stack.
constexpr int max_nesting = 48;

// ---------------------------------------------------------------- tokens

enum class tk { end, ident, str, lit, punct };

struct token {
    tk kind = tk::end;
    std::size_t pos = 0;  ///< byte offset of the first character
    std::size_t end = 0;  ///< byte offset past the last character
    std::string text;     ///< identifier, punctuation, or decoded string contents
    slot value = 0;       ///< for literals
    value_type type = value_type::none;
};

std::string type_name(slot_type t, const std::vector<enum_def>& enums) {
    if (t.type == value_type::enumeration && t.enum_id >= 0 && t.enum_id < static_cast<int>(enums.size())) {
        std::string s = "enum (";
        const auto& names = enums[static_cast<std::size_t>(t.enum_id)].names;
        for (std::size_t i = 0; i < names.size(); ++i) s += (i ? ", " : "") + names[i];
        return s + ")";
    }
    return std::string(to_string(t.type));
}

std::string join(const std::vector<std::string>& names) {
    std::string s;
    for (const auto& n : names) s += (s.empty() ? "" : ", ") + n;
    return s;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_lower(char c) { return (c >= 'a' && c <= 'z') || c == '_'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_word(char c) { return is_lower(c) || is_upper(c) || is_digit(c); }

// ---------------------------------------------------------------- tree

enum class nk { lit, str, name, attr, event, now, is_set, unary, binary, in_list };

struct node {
    nk kind = nk::lit;
    std::size_t pos = 0;     ///< first character of the node
    std::size_t op_pos = 0;  ///< the operator, for unary / binary / in
    std::string op;          ///< "+", "==", "!", "in", "not in", ...
    std::string text;        ///< name, field, or string contents
    slot value = 0;          ///< literal value (after checking: also enum values)
    slot_type type;          ///< after checking
    bool event_target = false;  ///< is_set(event.x)
    bool widen = false;         ///< int value converted to decimal after it is pushed
    std::uint32_t index = 0;    ///< slot index of attr / event / is_set
    std::vector<std::unique_ptr<node>> kids;
};
using node_ptr = std::unique_ptr<node>;

bool is_comparison(const std::string& o) {
    return o == "==" || o == "!=" || o == "<" || o == "<=" || o == ">" || o == ">=";
}

class compiler {
public:
    compiler(std::string_view text, const source_pos& at, const expr_scope& scope, string_pool& pool)
        : text_(text), at_(at), scope_(scope), pool_(pool), enums_(scope.enums()) {}

    program run(const slot_type* expected) {
        next();
        if (tok_.kind == tk::end) fail(tok_.pos, "empty expression; expected an expression");
        node_ptr root = parse_or();
        if (tok_.kind != tk::end) unexpected_after_expression();
        const bool want = expected && expected->type != value_type::none;
        check(*root, want ? expected : nullptr);
        if (want) {
            slot_type t = root->type;
            if (expected->type == value_type::decimal && t.type == value_type::integer) {
                widen(*root);
            } else if (t != *expected) {
                fail(root->pos, std::string(expected->type == value_type::boolean ? "guard" : "value") +
                                    " must be " + type_name(*expected, enums_) + ", found " +
                                    type_name(t, enums_));
            }
        }
        if (!emit_flat_logic(*root)) emit(*root, false);
        if (max_depth_ > max_expr_stack)
            fail(root->pos, "expression is too complex: it needs an evaluation stack of " +
                                std::to_string(max_depth_) + " values; expected at most " +
                                std::to_string(max_expr_stack));
        for (auto& [at, s] : pending_strings_) code_[at].imm = pool_.intern(s);
        program p;
        p.code = std::move(code_);
        p.type = root->type;
        p.max_stack = max_depth_;
        p.text = std::string(text_);
        return p;
    }

private:
    // ------------------------------------------------------------ errors

    [[noreturn]] void fail(std::size_t offset, const std::string& message) const {
        source_pos pos = at_;
        if (pos.column > 0) {
            // Columns count characters, not UTF-8 bytes.
            int cols = 0;
            for (std::size_t i = 0; i < offset && i < text_.size(); ++i)
                if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++cols;
            pos.column += cols;
        }
        throw rule_error(std::move(pos), message);
    }

    std::string describe(const token& t) const {
        if (t.kind == tk::end) return "the end of the expression";
        return "'" + std::string(text_.substr(t.pos, t.end - t.pos)) + "'";
    }

    // ------------------------------------------------------------ lexer

    void next() {
        std::size_t i = pos_;
        while (i < text_.size() && (text_[i] == ' ' || text_[i] == '\t' || text_[i] == '\n' || text_[i] == '\r'))
            ++i;
        tok_ = token{};
        tok_.pos = i;
        if (i >= text_.size()) {
            tok_.end = pos_ = i;
            return;
        }
        const char c = text_[i];
        if (c == '\'' || c == '"') {
            lex_string(i);
        } else if (is_digit(c)) {
            lex_number(i);
        } else if (c == 'P' && i + 1 < text_.size() && (is_digit(text_[i + 1]) || text_[i + 1] == 'T')) {
            std::size_t j = i;
            while (j < text_.size() && is_word(text_[j])) ++j;
            lex_duration(i, j);
        } else if (is_lower(c)) {
            std::size_t j = i;
            while (j < text_.size() && (is_lower(text_[j]) || is_digit(text_[j]))) ++j;
            if (j < text_.size() && is_upper(text_[j]))
                fail(j, std::string("unexpected character '") + text_[j] +
                            "'; expected a name of lowercase letters, digits and '_'");
            tok_.kind = tk::ident;
            tok_.text = std::string(text_.substr(i, j - i));
            tok_.end = j;
        } else if (is_upper(c)) {
            fail(i, std::string("unexpected character '") + c +
                        "'; expected a name of lowercase letters, digits and '_'");
        } else {
            lex_punct(i);
        }
        pos_ = tok_.end;
    }

    void lex_string(std::size_t i) {
        const char quote = text_[i];
        std::string s;
        std::size_t j = i + 1;
        for (;; ++j) {
            if (j >= text_.size())
                fail(i, std::string("unterminated string literal; expected a closing ") + quote);
            char c = text_[j];
            if (c == quote) break;
            if (c == '\\') {
                char e = j + 1 < text_.size() ? text_[j + 1] : '\0';
                if (e == '\\' || e == '\'' || e == '"') {
                    s += e;
                    ++j;
                    continue;
                }
                if (e == '\0')
                    fail(i, std::string("unterminated string literal; expected a closing ") + quote);
                fail(j, std::string("unknown escape '\\") + e + "' in string literal; expected \\\\, \\' or \\\"");
            }
            s += c;
        }
        tok_.kind = tk::str;
        tok_.text = std::move(s);
        tok_.end = j + 1;
    }

    void set_lit(value_type t, slot v, std::size_t end) {
        tok_.kind = tk::lit;
        tok_.type = t;
        tok_.value = v;
        tok_.end = end;
    }

    void lex_duration(std::size_t i, std::size_t j) {
        std::string_view s = text_.substr(i, j - i);
        auto d = parse_duration(s);
        if (!d || d->count() == unset_slot)
            fail(i, "invalid duration '" + std::string(s) +
                        "'; expected a whole number and unit such as 3d, 4h30m, 90m, 30s, 500ms or ISO 8601 PT4H");
        set_lit(value_type::duration, d->count(), j);
    }

    bool digits_at(std::size_t i, std::size_t n) const {
        if (i + n > text_.size()) return false;
        for (std::size_t k = 0; k < n; ++k)
            if (!is_digit(text_[i + k])) return false;
        return true;
    }

    void lex_number(std::size_t i) {
        std::size_t j = i;
        while (j < text_.size() && is_digit(text_[j])) ++j;
        // A date: exactly YYYY-MM-DD; with a time part it is an instant.
        if (j - i == 4 && j < text_.size() && text_[j] == '-' && digits_at(j + 1, 2) && j + 3 < text_.size() &&
            text_[j + 3] == '-' && digits_at(j + 4, 2) && !(j + 6 < text_.size() && is_digit(text_[j + 6]))) {
            std::size_t k = j + 6;
            if (k < text_.size() && text_[k] == 'T') return lex_instant(i, k);
            if (k < text_.size() && is_word(text_[k])) {
                while (k < text_.size() && is_word(text_[k])) ++k;
                fail(i, "invalid date '" + std::string(text_.substr(i, k - i)) +
                            "'; expected YYYY-MM-DD, or YYYY-MM-DDThh:mm:ss+08:00 for an instant");
            }
            std::string_view s = text_.substr(i, k - i);
            auto d = parse_date(s);
            if (!d) fail(i, "invalid date '" + std::string(s) + "'; expected a calendar date YYYY-MM-DD");
            set_lit(value_type::date, d->time_since_epoch().count(), k);
            return;
        }
        if (j < text_.size() && text_[j] == '.') {
            std::size_t k = j + 1;
            while (k < text_.size() && is_digit(text_[k])) ++k;
            std::size_t e = k;
            while (e < text_.size() && (is_word(text_[e]) || text_[e] == '.')) ++e;
            std::string_view s = text_.substr(i, e - i);
            if (k == j + 1) fail(i, "invalid number '" + std::string(s) + "'; expected digits after the '.'");
            if (e != k)
                fail(i, "invalid number '" + std::string(s) +
                            "'; expected a decimal such as 12.50 (durations take whole units: 1h30m)");
            if (k - j - 1 > 6)
                fail(i, "invalid decimal '" + std::string(s) + "'; expected at most 6 digits after the '.'");
            decimal d;
            if (!parse_decimal(s, d))
                fail(i, "decimal '" + std::string(s) + "' is too large; expected at most 9000000000000");
            set_lit(value_type::decimal, d.units, k);
            return;
        }
        if (j < text_.size() && is_word(text_[j])) {
            std::size_t k = j;
            while (k < text_.size() && is_word(text_[k])) ++k;
            return lex_duration(i, k);
        }
        std::int64_t v = 0;
        for (std::size_t k = i; k < j; ++k) {
            int dgt = text_[k] - '0';
            if (v > (std::numeric_limits<std::int64_t>::max() - dgt) / 10)
                fail(i, "integer '" + std::string(text_.substr(i, j - i)) +
                            "' is too large; expected at most 9223372036854775807");
            v = v * 10 + dgt;
        }
        set_lit(value_type::integer, v, j);
    }

    void lex_instant(std::size_t i, std::size_t t) {
        std::size_t k = t + 1;
        while (k < text_.size() && (is_digit(text_[k]) || text_[k] == ':' || text_[k] == '.')) ++k;
        bool offset = false;
        if (k < text_.size() && text_[k] == 'Z') {
            ++k;
            offset = true;
        } else if (k < text_.size() && (text_[k] == '+' || text_[k] == '-') && digits_at(k + 1, 2) &&
                   k + 3 < text_.size() && text_[k + 3] == ':' && digits_at(k + 4, 2)) {
            k += 6;
            offset = true;
        }
        while (k < text_.size() && is_word(text_[k])) ++k;
        std::string_view s = text_.substr(i, k - i);
        if (!offset)
            fail(i, "instant '" + std::string(s) +
                        "' has no UTC offset; expected an offset such as +08:00 or Z at its end");
        auto v = parse_instant(s);
        if (!v)
            fail(i, "invalid instant '" + std::string(s) +
                        "'; expected YYYY-MM-DDThh:mm[:ss] with an offset such as +08:00 or Z");
        set_lit(value_type::instant, v->time_since_epoch().count(), k);
    }

    void lex_punct(std::size_t i) {
        static const char* const two[] = {"||", "&&", "==", "!=", "<=", ">="};
        std::string_view rest = text_.substr(i);
        for (const char* p : two) {
            if (rest.substr(0, 2) == p) {
                tok_.kind = tk::punct;
                tok_.text = p;
                tok_.end = i + 2;
                return;
            }
        }
        const char c = text_[i];
        switch (c) {
            case '!': case '<': case '>': case '+': case '-': case '*':
            case '(': case ')': case '[': case ']': case ',': case '.':
                tok_.kind = tk::punct;
                tok_.text = std::string(1, c);
                tok_.end = i + 1;
                return;
            case '=': fail(i, "'=' is not an operator; expected '==' to compare");
            case '&': fail(i, "'&' is not an operator; expected '&&'");
            case '|': fail(i, "'|' is not an operator; expected '||'");
            default: break;
        }
        std::size_t len = 1;
        if (static_cast<unsigned char>(c) >= 0x80)  // show a whole UTF-8 character
            while (i + len < text_.size() && (static_cast<unsigned char>(text_[i + len]) & 0xC0) == 0x80) ++len;
        fail(i, "unexpected character '" + std::string(text_.substr(i, len)) +
                    "'; expected a name, a literal, an operator or a parenthesis");
    }

    bool at_punct(const char* p) const { return tok_.kind == tk::punct && tok_.text == p; }
    bool at_ident(const char* p) const { return tok_.kind == tk::ident && tok_.text == p; }

    // ------------------------------------------------------------ parser

    [[noreturn]] void unexpected_after_expression() const {
        if (at_punct(")")) fail(tok_.pos, "unmatched ')'; expected an operator or the end of the expression");
        std::string hint;
        if (at_ident("and")) hint = " ('&&' means and)";
        if (at_ident("or")) hint = " ('||' means or)";
        fail(tok_.pos, "unexpected " + describe(tok_) + "; expected an operator or the end of the expression" + hint);
    }

    node_ptr make(nk k, std::size_t pos) {
        auto n = std::make_unique<node>();
        n->kind = k;
        n->pos = pos;
        return n;
    }

    node_ptr binary(node_ptr l, const std::string& o, std::size_t op_pos, node_ptr r) {
        auto n = make(nk::binary, l->pos);
        n->op = o;
        n->op_pos = op_pos;
        n->kids.push_back(std::move(l));
        n->kids.push_back(std::move(r));
        return n;
    }

    /// Consumes the operator token and remembers it for "expected an expression after".
    std::pair<std::string, std::size_t> take_operator() {
        auto r = std::make_pair(tok_.text, tok_.pos);
        after_ = tok_.text;
        next();
        return r;
    }

    node_ptr parse_or() {
        node_ptr l = parse_and();
        while (at_punct("||")) {
            auto [o, p] = take_operator();
            l = binary(std::move(l), o, p, parse_and());
        }
        return l;
    }

    node_ptr parse_and() {
        node_ptr l = parse_eq();
        while (at_punct("&&")) {
            auto [o, p] = take_operator();
            l = binary(std::move(l), o, p, parse_eq());
        }
        return l;
    }

    node_ptr parse_eq() {
        node_ptr l = parse_rel();
        if (at_punct("==") || at_punct("!=")) {
            auto [o, p] = take_operator();
            l = binary(std::move(l), o, p, parse_rel());
            if (at_punct("==") || at_punct("!="))
                fail(tok_.pos, "comparisons cannot be chained; expected '&&' or '||' between two comparisons");
        }
        return l;
    }

    bool at_relational() const {
        return at_punct("<") || at_punct("<=") || at_punct(">") || at_punct(">=") || at_ident("in") ||
               at_ident("not");
    }

    node_ptr parse_rel() {
        node_ptr l = parse_add();
        if (!at_relational()) return l;
        if (tok_.kind == tk::ident) {
            l = parse_in(std::move(l));
        } else {
            auto [o, p] = take_operator();
            l = binary(std::move(l), o, p, parse_add());
        }
        if (at_relational())
            fail(tok_.pos, "comparisons cannot be chained; expected '&&' or '||' between two comparisons");
        return l;
    }

    node_ptr parse_in(node_ptr l) {
        auto n = make(nk::in_list, l->pos);
        n->op_pos = tok_.pos;
        n->op = "in";
        if (at_ident("not")) {
            next();
            if (!at_ident("in")) fail(tok_.pos, "expected 'in' after 'not', found " + describe(tok_));
            n->op = "not in";
        }
        next();
        if (!at_punct("["))
            fail(tok_.pos, "expected '[' after '" + n->op + "', found " + describe(tok_) +
                               "; write the values as a list: " + n->op + " [a, b]");
        const std::size_t open = tok_.pos;
        next();
        if (at_punct("]")) fail(tok_.pos, "empty list; expected at least one value after '['");
        n->kids.push_back(std::move(l));
        for (;;) {
            after_ = n->kids.size() == 1 ? "[" : ",";
            n->kids.push_back(parse_add());
            if (at_punct("]")) break;
            if (at_punct(",")) {
                next();
                continue;
            }
            if (tok_.kind == tk::end)
                fail(tok_.pos, "missing ']'; expected ']' to close the '[' at column " + column_of(open));
            fail(tok_.pos, "expected ',' or ']' in the list, found " + describe(tok_));
        }
        next();
        return n;
    }

    std::string column_of(std::size_t offset) const {
        int cols = 0;
        for (std::size_t i = 0; i < offset && i < text_.size(); ++i)
            if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++cols;
        return std::to_string((at_.column > 0 ? at_.column : 1) + cols);
    }

    node_ptr parse_add() {
        node_ptr l = parse_mul();
        while (at_punct("+") || at_punct("-")) {
            auto [o, p] = take_operator();
            l = binary(std::move(l), o, p, parse_mul());
        }
        return l;
    }

    node_ptr parse_mul() {
        node_ptr l = parse_unary();
        while (at_punct("*")) {
            auto [o, p] = take_operator();
            l = binary(std::move(l), o, p, parse_unary());
        }
        return l;
    }

    void enter(std::size_t pos) {
        if (++nesting_ > max_nesting)
            fail(pos, "expression is nested too deeply; expected at most " + std::to_string(max_nesting) +
                          " levels of parentheses and unary operators");
    }

    node_ptr parse_unary() {
        if (at_punct("!") || at_punct("-")) {
            enter(tok_.pos);
            auto [o, p] = take_operator();
            node_ptr kid = parse_unary();
            --nesting_;
            // -12, -2.5, -3d are literals: fold, so they can be list elements and immediates.
            if (o == "-" && kid->kind == nk::lit &&
                (kid->type.type == value_type::integer || kid->type.type == value_type::decimal ||
                 kid->type.type == value_type::duration)) {
                kid->value = -kid->value;
                kid->pos = p;
                return kid;
            }
            auto n = make(nk::unary, p);
            n->op = o;
            n->op_pos = p;
            n->kids.push_back(std::move(kid));
            return n;
        }
        return parse_primary();
    }

    node_ptr parse_primary() {
        const token t = tok_;
        switch (t.kind) {
            case tk::lit: {
                after_.clear();
                next();
                auto n = make(nk::lit, t.pos);
                n->type.type = t.type;
                n->value = t.value;
                return n;
            }
            case tk::str: {
                after_.clear();
                next();
                auto n = make(nk::str, t.pos);
                n->text = t.text;
                return n;
            }
            case tk::ident: return parse_name();
            case tk::punct:
                if (t.text == "(") {
                    enter(t.pos);
                    after_ = "(";
                    next();
                    node_ptr inner = parse_or();
                    if (!at_punct(")")) {
                        if (tok_.kind == tk::end)
                            fail(tok_.pos, "missing ')'; expected ')' to close the '(' at column " + column_of(t.pos));
                        fail(tok_.pos, "expected ')' to close the '(' at column " + column_of(t.pos) + ", found " +
                                           describe(tok_));
                    }
                    --nesting_;
                    after_.clear();
                    next();
                    inner->pos = t.pos;
                    return inner;
                }
                break;
            case tk::end: break;
        }
        expected_expression();
    }

    [[noreturn]] void expected_expression() const {
        std::string m = after_.empty() ? "expected an expression" : "expected an expression after '" + after_ + "'";
        if (tok_.kind != tk::end) m += ", found " + describe(tok_);
        fail(tok_.pos, m);
    }

    node_ptr parse_name() {
        const token t = tok_;
        const std::string& name = t.text;
        if (name == "in" || name == "not") {
            if (name == "not" && after_.empty())
                fail(t.pos, "unexpected 'not'; expected an expression ('!' negates, 'not in [...]' tests a list)");
            expected_expression();
        }
        after_.clear();
        next();
        if (name == "true" || name == "false") {
            auto n = make(nk::lit, t.pos);
            n->type.type = value_type::boolean;
            n->value = name == "true" ? 1 : 0;
            return n;
        }
        if (name == "now") return make(nk::now, t.pos);
        if (name == "event") {
            if (!at_punct(".")) fail(tok_.pos, "expected '.<field>' after 'event', found " + describe(tok_));
            next();
            if (tok_.kind != tk::ident)
                fail(tok_.pos, "expected a field name after 'event.', found " + describe(tok_));
            auto n = make(nk::event, t.pos);
            n->text = tok_.text;
            next();
            return n;
        }
        if (at_punct("(")) {
            if (name != "is_set")
                fail(t.pos, "unknown function '" + name + "'" + did_you_mean(name, {"is_set"}) +
                                "; expected is_set(name)");
            next();
            auto n = make(nk::is_set, t.pos);
            if (tok_.kind != tk::ident || tok_.text == "now" || tok_.text == "true" || tok_.text == "false")
                fail(tok_.pos, "is_set takes an attribute name or event.<field>; found " + describe(tok_));
            n->op_pos = tok_.pos;
            if (tok_.text == "event") {
                next();
                if (!at_punct(".")) fail(tok_.pos, "expected '.<field>' after 'event', found " + describe(tok_));
                next();
                if (tok_.kind != tk::ident)
                    fail(tok_.pos, "expected a field name after 'event.', found " + describe(tok_));
                n->event_target = true;
            }
            n->text = tok_.text;
            next();
            if (!at_punct(")"))
                fail(tok_.pos, "expected ')' after the name in is_set(...), found " + describe(tok_));
            next();
            return n;
        }
        if (name == "is_set") fail(tok_.pos, "expected '(' after 'is_set', found " + describe(tok_));
        auto n = make(nk::name, t.pos);
        n->text = name;
        return n;
    }

    // ------------------------------------------------------------ checker

    static bool is_const(const node& n) { return n.kind == nk::lit || n.kind == nk::str; }
    static slot_type type_of(value_type t) { return slot_type{t, -1}; }

    const enum_def* enum_of(const slot_type* t) const {
        if (!t || t->type != value_type::enumeration || t->enum_id < 0 ||
            t->enum_id >= static_cast<int>(enums_.size()))
            return nullptr;
        return &enums_[static_cast<std::size_t>(t->enum_id)];
    }

    /// Whose values a name or string is resolved against, for messages.
    std::string enum_owner(const node* other) const {
        if (other && other->kind == nk::attr) return other->text;
        if (other && other->kind == nk::event) return "event." + other->text;
        return "the enum";
    }

    [[noreturn]] void unknown_enum_value(const node& n, const enum_def& e, const node* other) const {
        fail(n.pos, "unknown value '" + n.text + "' for " + enum_owner(other) + did_you_mean(n.text, e.names) +
                        "; expected one of: " + join(e.names));
    }

    void resolve_attribute(node& n, const std::string& name, std::size_t pos) {
        std::uint32_t index = 0;
        slot_type t;
        if (!scope_.attribute(name, index, t)) {
            std::string m = "unknown attribute '" + name + "'";
            std::string dym = did_you_mean(name, scope_.attribute_names());
            if (dym.empty() && (name == "null" || name == "none" || name == "nil" || name == "unset" ||
                                name == "undefined"))
                m += "; to test for no value use is_set(name)";
            fail(pos, m + dym);
        }
        n.index = index;
        n.type = t;
    }

    void resolve_event_field(node& n, const std::string& field, std::size_t pos) {
        if (!scope_.has_event())
            fail(pos, "event fields are not available here: event." + field +
                          " (only in a transition triggered by an event)");
        std::uint32_t index = 0;
        slot_type t;
        if (!scope_.event_field(field, index, t))
            fail(pos, "unknown field '" + field + "' of event '" + scope_.event_name() + "'" +
                          did_you_mean(field, scope_.event_field_names()));
        n.index = index;
        n.type = t;
    }

    /// An operand whose meaning depends on the other side: a string literal or a
    /// bare name that is not an attribute (possibly an enum value).
    bool is_free(const node& n) const {
        if (n.kind == nk::str) return true;
        if (n.kind != nk::name) return false;
        std::uint32_t i;
        slot_type t;
        return !scope_.attribute(n.text, i, t);
    }

    void widen(node& n) {
        if (n.kind == nk::lit) {
            if (n.value > 9000000000000LL || n.value < -9000000000000LL)
                fail(n.pos, "number " + std::to_string(n.value) +
                                " is too large for a decimal; expected at most 9000000000000");
            n.value *= decimal::scale;
        } else {
            n.widen = true;
        }
        n.type = type_of(value_type::decimal);
    }

    /// Types `n`.  `hint` is the type the context wants (the other side of a
    /// comparison, the left side of `in`, the expected result); only string
    /// literals and bare names use it, to become enum values.
    void check(node& n, const slot_type* hint, const node* other = nullptr) {
        switch (n.kind) {
            case nk::lit: return;
            case nk::str:
                if (const enum_def* e = enum_of(hint)) {
                    int v = e->find(n.text);
                    if (v < 0) unknown_enum_value(n, *e, other);
                    n.kind = nk::lit;
                    n.value = v;
                    n.type = *hint;
                } else {
                    n.type = type_of(value_type::string);
                }
                return;
            case nk::name:
                if (const enum_def* e = enum_of(hint)) {
                    int v = e->find(n.text);
                    if (v >= 0) {
                        n.kind = nk::lit;
                        n.value = v;
                        n.type = *hint;
                        return;
                    }
                    std::uint32_t i;
                    slot_type t;
                    if (!scope_.attribute(n.text, i, t) &&
                        (!did_you_mean(n.text, e->names).empty() ||
                         did_you_mean(n.text, scope_.attribute_names()).empty()))
                        unknown_enum_value(n, *e, other);
                }
                n.kind = nk::attr;
                resolve_attribute(n, n.text, n.pos);
                return;
            case nk::attr: return;
            case nk::event: resolve_event_field(n, n.text, n.pos); return;
            case nk::now: n.type = type_of(value_type::instant); return;
            case nk::is_set:
                if (n.event_target) {
                    resolve_event_field(n, n.text, n.op_pos);
                } else {
                    if (n.text == "event") fail(n.op_pos, "expected '.<field>' after 'event'");
                    resolve_attribute(n, n.text, n.op_pos);
                }
                n.type = type_of(value_type::boolean);
                return;
            case nk::unary: return check_unary(n);
            case nk::binary: return check_binary(n);
            case nk::in_list: return check_in(n);
        }
    }

    void check_unary(node& n) {
        node& k = *n.kids[0];
        check(k, nullptr);
        if (n.op == "!") {
            if (k.type.type != value_type::boolean)
                fail(k.pos, "operand of '!' must be bool, found " + type_name(k.type, enums_));
            n.type = k.type;
            return;
        }
        const value_type t = k.type.type;
        if (t != value_type::integer && t != value_type::decimal && t != value_type::duration)
            fail(n.op_pos, "type mismatch: cannot negate " + type_name(k.type, enums_) +
                               "; expected int, decimal or duration");
        n.type = k.type;
    }

    void check_operands(node& n) {
        node& l = *n.kids[0];
        node& r = *n.kids[1];
        if (is_free(l) && !is_free(r)) {
            check(r, nullptr);
            check(l, &r.type, &r);
        } else {
            check(l, nullptr);
            check(r, &l.type, &l);
        }
    }

    void check_binary(node& n) {
        node& l = *n.kids[0];
        node& r = *n.kids[1];
        if (n.op == "&&" || n.op == "||") {
            check(l, nullptr);
            if (l.type.type != value_type::boolean)
                fail(l.pos, "operand of '" + n.op + "' must be bool, found " + type_name(l.type, enums_));
            check(r, nullptr);
            if (r.type.type != value_type::boolean)
                fail(r.pos, "operand of '" + n.op + "' must be bool, found " + type_name(r.type, enums_));
            n.type = type_of(value_type::boolean);
            return;
        }
        check_operands(n);
        const value_type a = l.type.type, b = r.type.type;
        const bool numeric = (a == value_type::integer || a == value_type::decimal) &&
                             (b == value_type::integer || b == value_type::decimal);
        if (is_comparison(n.op)) {
            if (numeric && a != b) {
                widen(a == value_type::integer ? l : r);
            } else if (l.type != r.type) {
                fail(n.op_pos, "type mismatch: cannot compare " + type_name(l.type, enums_) + " with " +
                                   type_name(r.type, enums_));
            }
            if (n.op != "==" && n.op != "!=" && (a == value_type::string || a == value_type::boolean))
                fail(n.op_pos, "type mismatch: '" + n.op + "' cannot order " + std::string(to_string(a)) +
                                   " values; expected int, decimal, enum, date, instant or duration (" +
                                   std::string(to_string(a)) + " compares only with == and !=)");
            n.type = type_of(value_type::boolean);
            return;
        }
        // Arithmetic.
        using vt = value_type;
        vt result = vt::none;
        if (numeric) {
            if (a != b && n.op != "*") widen(a == vt::integer ? l : r);  // int * decimal needs no widening
            result = (a == vt::decimal || b == vt::decimal) ? vt::decimal : vt::integer;
        } else if (n.op == "+" || n.op == "-") {
            if (a == vt::duration && b == vt::duration) result = vt::duration;
            else if (a == vt::instant && b == vt::duration) result = vt::instant;
            else if (n.op == "+" && a == vt::duration && b == vt::instant) result = vt::instant;
            else if (n.op == "-" && a == vt::instant && b == vt::instant) result = vt::duration;
            else if (a == vt::date && b == vt::integer) result = vt::date;
            else if (n.op == "+" && a == vt::integer && b == vt::date) result = vt::date;
            else if (n.op == "-" && a == vt::date && b == vt::date) result = vt::integer;
        } else {  // *
            if ((a == vt::duration && (b == vt::integer || b == vt::decimal)) ||
                (b == vt::duration && (a == vt::integer || a == vt::decimal)))
                result = vt::duration;
        }
        if (result == vt::none) {
            const char* takes =
                n.op == "+" ? "int or decimal + int or decimal, duration + duration, instant + duration, date + int (days)"
                : n.op == "-" ? "int or decimal - int or decimal, duration - duration, instant - duration, "
                                "instant - instant, date - int (days), date - date"
                              : "int or decimal * int or decimal, duration * int or decimal";
            fail(n.op_pos, "type mismatch: cannot apply '" + n.op + "' to " + type_name(l.type, enums_) + " and " +
                               type_name(r.type, enums_) + "; expected " + takes);
        }
        n.type = type_of(result);
    }

    void check_in(node& n) {
        node& l = *n.kids[0];
        check(l, nullptr);
        if (l.type.type == value_type::boolean)
            fail(n.op_pos, "type mismatch: '" + n.op + "' needs a non-bool left side; expected == or !=");
        bool any_decimal = false;
        for (std::size_t i = 1; i < n.kids.size(); ++i) {
            node& e = *n.kids[i];
            check(e, &l.type, &l);
            if (!is_const(e))
                fail(e.pos, "the values in the list of '" + n.op + "' must be literals; found " +
                                (e.kind == nk::attr ? "attribute '" + e.text + "'"
                                 : e.kind == nk::event ? "event field 'event." + e.text + "'"
                                                       : std::string("a computed value")));
            const bool num = (l.type.type == value_type::integer || l.type.type == value_type::decimal) &&
                             (e.type.type == value_type::integer || e.type.type == value_type::decimal);
            if (num) {
                any_decimal |= e.type.type == value_type::decimal;
            } else if (e.type != l.type) {
                fail(e.pos, "type mismatch: the list of '" + n.op + "' holds " + type_name(e.type, enums_) +
                                ", expected " + type_name(l.type, enums_) + " like its left side");
            }
        }
        if (l.type.type == value_type::decimal || any_decimal) {
            if (l.type.type == value_type::integer) widen(l);
            for (std::size_t i = 1; i < n.kids.size(); ++i)
                if (n.kids[i]->type.type == value_type::integer) widen(*n.kids[i]);
        }
        n.type = type_of(value_type::boolean);
    }

    // ------------------------------------------------------------ code generation

    void put(std::uint8_t o, std::uint8_t type, std::uint32_t arg, std::int64_t imm, int delta) {
        instr i;
        i.op = o;
        i.type = type;
        i.arg = arg;
        i.imm = imm;
        code_.push_back(i);
        depth_ += delta;
        if (depth_ > static_cast<int>(max_depth_)) max_depth_ = static_cast<std::uint32_t>(depth_);
    }

    static std::uint8_t vt(const node& n) { return static_cast<std::uint8_t>(n.type.type); }

    void put_const(const node& n) {
        if (n.type.type == value_type::string) pending_strings_.emplace_back(code_.size(), n.text);
        put(op::push, vt(n), 0, n.value, +1);
    }

    static bool plain_load(const node& n) { return (n.kind == nk::attr || n.kind == nk::event) && !n.widen; }

    static std::uint8_t cmp_kind(const std::string& o, bool swapped) {
        if (o == "==") return op::eq;
        if (o == "!=") return op::ne;
        if (o == "<") return swapped ? op::gt : op::lt;
        if (o == "<=") return swapped ? op::ge : op::le;
        if (o == ">") return swapped ? op::lt : op::gt;
        return swapped ? op::le : op::ge;
    }

    /// Emits `n` so that it leaves one value on the stack.  With `cond` the value
    /// is a truth value (0/1): an unset bool attribute counts as false.
    void emit(const node& n, bool cond) {
        emit_value(n, cond);
        if (n.widen) put(op::widen, static_cast<std::uint8_t>(value_type::integer), 0, 0, 0);
    }

    void emit_value(const node& n, bool cond) {
        switch (n.kind) {
            case nk::lit:
            case nk::str: put_const(n); return;
            case nk::attr:
            case nk::event: {
                const bool ev = n.kind == nk::event;
                if (cond && n.type.type == value_type::boolean)
                    put(ev ? op::truth_event : op::truth_attr, vt(n), n.index, 0, +1);
                else
                    put(ev ? op::load_event : op::load_attr, vt(n), n.index, 0, +1);
                return;
            }
            case nk::now: put(op::load_now, vt(n), 0, 0, +1); return;
            case nk::is_set:
                put(n.event_target ? op::isset_event : op::isset_attr, vt(n), n.index, 0, +1);
                return;
            case nk::unary:
                if (n.op == "!") {
                    emit(*n.kids[0], true);
                    put(op::logic_not, vt(n), 0, 0, 0);
                } else {
                    emit(*n.kids[0], false);
                    put(op::neg, vt(n), 0, 0, 0);
                }
                return;
            case nk::binary: return emit_binary(n);
            case nk::in_list: return emit_in(n);
            case nk::name: return;  // resolved by check()
        }
    }

    /// A comparison `load OP const` (either order): the fused form's pieces.
    bool fusable(const node& n, const node*& load, const node*& k, bool& swapped) const {
        if (n.kind != nk::binary || !is_comparison(n.op)) return false;
        const node& l = *n.kids[0];
        const node& r = *n.kids[1];
        if (plain_load(l) && is_const(r)) {
            load = &l, k = &r, swapped = false;
            return true;
        }
        if (plain_load(r) && is_const(l)) {
            load = &r, k = &l, swapped = true;
            return true;
        }
        return false;
    }

    /// A whole guard of `attr OP literal` terms joined only by && (or only by
    /// ||) becomes all_ai / any_ai: a loop over the terms, no stack.
    bool emit_flat_logic(const node& root) {
        if (root.kind != nk::binary || (root.op != "&&" && root.op != "||")) return false;
        std::vector<const node*> terms;
        flatten(root, root.op, terms);
        for (const node* t : terms) {
            const node* load = nullptr;
            const node* k = nullptr;
            bool swapped = false;
            if (!fusable(*t, load, k, swapped) || load->kind != nk::attr) return false;
        }
        put(root.op == "&&" ? op::all_ai : op::any_ai, vt(root), 0, static_cast<std::int64_t>(terms.size()), +1);
        for (const node* t : terms) {
            const node* load = nullptr;
            const node* k = nullptr;
            bool swapped = false;
            fusable(*t, load, k, swapped);
            if (k->type.type == value_type::string) pending_strings_.emplace_back(code_.size(), k->text);
            put(static_cast<std::uint8_t>(op::cmp_ai + cmp_kind(t->op, swapped)), vt(*load), load->index, k->value,
                0);
        }
        return true;
    }

    static void flatten(const node& n, const std::string& o, std::vector<const node*>& out) {
        if (n.kind == nk::binary && n.op == o) {
            flatten(*n.kids[0], o, out);
            flatten(*n.kids[1], o, out);
        } else {
            out.push_back(&n);
        }
    }

    void emit_binary(const node& n) {
        const node& l = *n.kids[0];
        const node& r = *n.kids[1];
        if (n.op == "&&" || n.op == "||") {
            // a && b && c: every operand but the last jumps straight to the end
            // on its deciding value, leaving it (0 or 1) as the result.
            std::vector<const node*> terms;
            flatten(n, n.op, terms);
            std::vector<std::size_t> jumps;
            for (std::size_t i = 0; i + 1 < terms.size(); ++i) {
                const node& t = *terms[i];
                const node* load = nullptr;
                const node* k = nullptr;
                bool swapped = false;
                if (n.op == "&&" && fusable(t, load, k, swapped) && load->kind == nk::attr) {
                    if (k->type.type == value_type::string) pending_strings_.emplace_back(code_.size(), k->text);
                    put(static_cast<std::uint8_t>(op::cmp_ai_and + cmp_kind(t.op, swapped)), vt(*load),
                        load->index, k->value, 0);
                    jumps.push_back(code_.size());
                    put(op::jump, 0, 0, 0, 0);
                } else {
                    emit(t, true);
                    jumps.push_back(code_.size());
                    put(n.op == "&&" ? op::jump_false : op::jump_true, 0, 0, 0, -1);
                }
            }
            emit(*terms.back(), true);
            for (std::size_t j : jumps) code_[j].arg = static_cast<std::uint32_t>(code_.size());
            return;
        }
        if (is_comparison(n.op)) {
            const node* load = nullptr;
            const node* k = nullptr;
            bool swapped = false;
            const std::uint8_t t = vt(l.widen ? r : l);
            if (fusable(n, load, k, swapped)) {
                const std::uint8_t base = load->kind == nk::attr ? op::cmp_ai : op::cmp_ei;
                if (k->type.type == value_type::string) pending_strings_.emplace_back(code_.size(), k->text);
                put(static_cast<std::uint8_t>(base + cmp_kind(n.op, swapped)), t, load->index, k->value, +1);
            } else if (is_const(r) || is_const(l)) {
                const bool sw = is_const(l) && !is_const(r);
                const node& v = sw ? r : l;
                const node& c = sw ? l : r;
                emit(v, false);
                if (c.type.type == value_type::string) pending_strings_.emplace_back(code_.size(), c.text);
                put(static_cast<std::uint8_t>(op::cmp_si + cmp_kind(n.op, sw)), t, 0, c.value, 0);
            } else {
                emit(l, false);
                emit(r, false);
                put(static_cast<std::uint8_t>(op::cmp_ss + cmp_kind(n.op, false)), t, 0, 0, -1);
            }
            return;
        }
        emit(l, false);
        emit(r, false);
        std::uint8_t o = n.op == "+" ? op::add : n.op == "-" ? op::sub : op::mul;
        if (n.op == "*" && ((l.type.type == value_type::decimal && r.type.type == value_type::decimal) ||
                            (l.type.type == value_type::duration && r.type.type == value_type::decimal) ||
                            (l.type.type == value_type::decimal && r.type.type == value_type::duration)))
            o = op::mul_dec;
        put(o, vt(n), 0, 0, -1);
    }

    void emit_in(const node& n) {
        const node& l = *n.kids[0];
        const bool negated = n.op == "not in";
        const auto count = static_cast<std::int64_t>(n.kids.size() - 1);
        if (plain_load(l)) {
            std::uint8_t o = l.kind == nk::attr ? (negated ? op::not_in_attr : op::in_attr)
                                                : (negated ? op::not_in_event : op::in_event);
            put(o, vt(l), l.index, count, +1);
        } else {
            emit(l, false);
            put(negated ? op::not_in_stack : op::in_stack, vt(l), 0, count, 0);
        }
        for (std::size_t i = 1; i < n.kids.size(); ++i) {
            const node& e = *n.kids[i];
            if (e.type.type == value_type::string) pending_strings_.emplace_back(code_.size(), e.text);
            put(op::data, vt(e), 0, e.value, 0);
        }
    }

    std::string_view text_;
    const source_pos& at_;
    const expr_scope& scope_;
    string_pool& pool_;
    const std::vector<enum_def>& enums_;

    std::size_t pos_ = 0;
    token tok_;
    std::string after_;  ///< the operator just consumed, for "expected an expression after"
    int nesting_ = 0;

    std::vector<instr> code_;
    std::vector<std::pair<std::size_t, std::string>> pending_strings_;  ///< interned once compiling succeeded
    int depth_ = 0;
    std::uint32_t max_depth_ = 0;
};

}  // namespace

program compile_expr(std::string_view text, const source_pos& at, const expr_scope& scope, string_pool& pool,
                     const slot_type* expected) {
    return compiler(text, at, scope, pool).run(expected);
}

}  // namespace caseflow::detail
