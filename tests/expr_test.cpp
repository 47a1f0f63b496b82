// The expression language: parsing, type checking, exact error messages and
// positions, code shapes, and evaluation of compiled programs over slot arrays.
#define BOOST_TEST_MODULE expr
#include <boost/test/unit_test.hpp>

#include <array>
#include <chrono>
#include <map>

#include "caseflow/detail/expr.hpp"
#include "caseflow/error.hpp"
#include "caseflow/time.hpp"
#include "expr_ops.hpp"

using namespace caseflow;
using namespace caseflow::detail;

namespace {

// Attribute slots of the test scope.
enum attr : std::uint32_t { severity, priority, amount, count, phone, channel, vip, opened, due, sla, reply_at, n_attrs };
enum field : std::uint32_t { promised_at, reason, level, n, urgent, n_fields };

slot_type ty(value_type t, int e = -1) { return slot_type{t, e}; }

/// A scope like the one the rule loader builds for a transition on the event
/// `cannot_solve` (or, with has_event = false, for an entry action).
class test_scope : public expr_scope {
public:
    explicit test_scope(bool has_event = true) : has_event_(has_event) {
        attrs_ = {{"severity", {severity, ty(value_type::enumeration, 0)}},
                  {"priority", {priority, ty(value_type::enumeration, 1)}},
                  {"amount", {amount, ty(value_type::decimal)}},
                  {"count", {count, ty(value_type::integer)}},
                  {"phone", {phone, ty(value_type::string)}},
                  {"channel", {channel, ty(value_type::string)}},
                  {"vip", {vip, ty(value_type::boolean)}},
                  {"opened", {opened, ty(value_type::instant)}},
                  {"due", {due, ty(value_type::date)}},
                  {"sla", {sla, ty(value_type::duration)}},
                  {"next_reply_at", {reply_at, ty(value_type::instant)}}};
        fields_ = {{"promised_at", {promised_at, ty(value_type::instant)}},
                   {"reason", {reason, ty(value_type::string)}},
                   {"level", {level, ty(value_type::enumeration, 0)}},
                   {"n", {n, ty(value_type::integer)}},
                   {"urgent", {urgent, ty(value_type::boolean)}}};
        enums_ = {enum_def{{"minor", "normal", "major"}}, enum_def{{"low", "high"}}};
    }
    bool attribute(std::string_view name, std::uint32_t& index, slot_type& type) const override {
        return find(attrs_, name, index, type);
    }
    bool event_field(std::string_view name, std::uint32_t& index, slot_type& type) const override {
        return find(fields_, name, index, type);
    }
    bool has_event() const override { return has_event_; }
    std::string event_name() const override { return "cannot_solve"; }
    std::vector<std::string> attribute_names() const override { return names(attrs_); }
    std::vector<std::string> event_field_names() const override { return names(fields_); }
    const std::vector<enum_def>& enums() const override { return enums_; }

private:
    using table = std::map<std::string, std::pair<std::uint32_t, slot_type>, std::less<>>;
    static bool find(const table& t, std::string_view name, std::uint32_t& index, slot_type& type) {
        auto it = t.find(name);
        if (it == t.end()) return false;
        index = it->second.first;
        type = it->second.second;
        return true;
    }
    static std::vector<std::string> names(const table& t) {
        std::vector<std::string> v;
        for (const auto& [k, _] : t) v.push_back(k);
        return v;
    }
    bool has_event_;
    table attrs_, fields_;
    std::vector<enum_def> enums_;
};

const source_pos at{"rules/x.yaml", 12, 10};

struct fixture {
    test_scope scope{true};
    test_scope no_event{false};
    string_pool pool;
    std::array<slot, n_attrs> attrs;
    std::array<slot, n_fields> fields;
    std::int64_t now = 0;

    fixture() {
        attrs.fill(unset_slot);
        fields.fill(unset_slot);
    }

    program compile(std::string_view text, const slot_type* expected = nullptr) {
        return compile_expr(text, at, scope, pool, expected);
    }
    slot eval(const program& p) {
        eval_context ctx;
        ctx.attributes = attrs.data();
        ctx.event_fields = fields.data();
        ctx.strings = &pool;
        ctx.now_ms = now;
        return evaluate(p, ctx);
    }
    slot eval(std::string_view text) { return eval(compile(text)); }
    /// Evaluates a bool expression: 1, 0 (or unset for a bare bool reference).
    bool holds(std::string_view text) {
        program p = compile(text);
        BOOST_TEST_REQUIRE((p.type.type == value_type::boolean), text);
        slot s = eval(p);
        BOOST_TEST_REQUIRE((s == 0 || s == 1), text << " gave " << s);
        return s == 1;
    }
    /// what() of the rule_error compiling `text` throws, "" when it compiles.
    std::string error(std::string_view text, const slot_type* expected = nullptr, bool has_event = true) {
        try {
            compile_expr(text, at, has_event ? scope : no_event, pool, expected);
        } catch (const rule_error& e) {
            return e.what();
        }
        return "";
    }
    slot str(std::string_view s) { return pool.intern(s); }
};

std::int64_t ms(std::string_view iso) { return parse_instant(iso)->time_since_epoch().count(); }
std::int64_t day(std::string_view ymd) { return parse_date(ymd)->time_since_epoch().count(); }
constexpr std::int64_t hour = 3600000;
constexpr std::int64_t M = 1000000;  // decimal scale

}  // namespace

BOOST_FIXTURE_TEST_SUITE(expr, fixture)

// ---------------------------------------------------------------- literals

BOOST_AUTO_TEST_CASE(literals_have_their_types_and_values) {
    struct row {
        const char* text;
        value_type type;
        slot value;
    };
    const row rows[] = {
        {"12", value_type::integer, 12},
        {"-12", value_type::integer, -12},
        {"12.50", value_type::decimal, 12500000},
        {"0.000001", value_type::decimal, 1},
        {"-2.5", value_type::decimal, -2500000},
        {"true", value_type::boolean, 1},
        {"false", value_type::boolean, 0},
        {"2026-10-01", value_type::date, day("2026-10-01")},
        {"2026-10-01T09:00:00+08:00", value_type::instant, ms("2026-10-01T01:00:00Z")},
        {"2026-10-01T01:00Z", value_type::instant, ms("2026-10-01T01:00:00Z")},
        {"2026-10-01T01:00:00.250Z", value_type::instant, ms("2026-10-01T01:00:00Z") + 250},
        {"3d", value_type::duration, 72 * hour},
        {"4h30m", value_type::duration, 4 * hour + 30 * 60000},
        {"90m", value_type::duration, 90 * 60000},
        {"30s", value_type::duration, 30000},
        {"500ms", value_type::duration, 500},
        {"PT4H", value_type::duration, 4 * hour},
        {"P1D", value_type::duration, 24 * hour},
        {"-2h", value_type::duration, -2 * hour},
        {"9223372036854775807", value_type::integer, INT64_MAX},
    };
    for (const auto& r : rows) {
        program p = compile(r.text);
        BOOST_TEST((p.type.type == r.type), r.text);
        BOOST_TEST(eval(p) == r.value, r.text);
        BOOST_TEST(p.text == r.text);
    }
}

BOOST_AUTO_TEST_CASE(string_literals_are_interned_at_compile_time) {
    program p = compile("'phone call'");
    BOOST_TEST((p.type.type == value_type::string));
    BOOST_TEST(pool.find("phone call") >= 0);
    BOOST_TEST(eval(p) == pool.find("phone call"));
    // (evaluated first: the literal is interned by compiling it)
    const std::pair<const char*, const char*> rows[] = {
        {"\"double\"", "double"}, {R"('it\'s')", "it's"}, {R"("a\"b\\c")", "a\"b\\c"},
        {"'投诉'", "投诉"}, {"''", ""}};
    for (const auto& [text, contents] : rows) {
        slot id = eval(text);
        BOOST_TEST(id == pool.find(contents), text);
    }
}

BOOST_AUTO_TEST_CASE(a_failed_compile_interns_nothing) {
    const std::size_t before = pool.size();
    BOOST_TEST(!error("phone == 'never seen' && count").empty());
    BOOST_TEST(pool.size() == before);
}

// ---------------------------------------------------------------- references

BOOST_AUTO_TEST_CASE(references_read_attributes_event_fields_and_now) {
    attrs[count] = 7;
    fields[n] = 9;
    now = 123456;
    BOOST_TEST(eval("count") == 7);
    BOOST_TEST(eval("event.n") == 9);
    BOOST_TEST(eval("now") == 123456);
    BOOST_TEST((compile("now").type.type == value_type::instant));
    BOOST_TEST((compile("event.level").type == ty(value_type::enumeration, 0)));
    BOOST_TEST(eval("amount") == unset_slot);
}

BOOST_AUTO_TEST_CASE(event_fields_without_an_event_context_read_as_unset) {
    program p = compile("event.n == 3 || is_set(event.n)");
    eval_context ctx;
    ctx.attributes = attrs.data();
    BOOST_TEST(evaluate(p, ctx) == 0);
}

// ---------------------------------------------------------------- comparisons

BOOST_AUTO_TEST_CASE(comparisons_of_every_ordered_type) {
    attrs[count] = 5;
    attrs[amount] = 100 * M + 500000;  // 100.5
    attrs[due] = day("2026-10-01");
    attrs[opened] = ms("2026-10-01T09:00:00+08:00");
    attrs[sla] = 4 * hour;
    attrs[severity] = 1;  // normal
    BOOST_TEST(holds("count == 5"));
    BOOST_TEST(!holds("count != 5"));
    BOOST_TEST(holds("count < 6"));
    BOOST_TEST(holds("count <= 5"));
    BOOST_TEST(!holds("count > 5"));
    BOOST_TEST(holds("count >= 5"));
    BOOST_TEST(holds("6 > count"));  // constant on the left
    BOOST_TEST(holds("5 <= count"));
    BOOST_TEST(holds("amount > 100"));  // int widens to decimal
    BOOST_TEST(holds("amount == 100.5"));
    BOOST_TEST(holds("amount < 100.51"));
    BOOST_TEST(holds("count < 5.5"));  // int attribute widened
    BOOST_TEST(!holds("count == 5.5"));
    BOOST_TEST(holds("count == 5.0"));
    BOOST_TEST(holds("due == 2026-10-01"));
    BOOST_TEST(holds("due < 2026-10-02"));
    BOOST_TEST(holds("opened == 2026-10-01T01:00:00Z"));
    BOOST_TEST(holds("opened >= 2026-10-01T09:00+08:00"));
    BOOST_TEST(holds("sla == 4h"));
    BOOST_TEST(holds("sla > 3h59m"));
    BOOST_TEST(holds("sla <= PT4H"));
    BOOST_TEST(holds("severity >= 'normal'"));  // enums order by declaration
    BOOST_TEST(holds("severity < major"));
    BOOST_TEST(!holds("severity > normal"));
    BOOST_TEST(holds("count == count"));
    BOOST_TEST(holds("amount > count"));  // attribute vs attribute, widening
    BOOST_TEST(holds("1 + 1 == 2"));
}

BOOST_AUTO_TEST_CASE(equality_of_strings_bools_and_enums) {
    attrs[phone] = str("138");
    attrs[channel] = str("phone");
    attrs[vip] = 1;
    attrs[severity] = 2;
    fields[level] = 2;
    fields[reason] = str("busy");
    BOOST_TEST(holds("phone == '138'"));
    BOOST_TEST(holds("channel != 'email'"));
    BOOST_TEST(holds("'phone' == channel"));
    BOOST_TEST(!holds("phone == channel"));
    BOOST_TEST(holds("vip == true"));
    BOOST_TEST(holds("vip != false"));
    BOOST_TEST(holds("severity == 'major'"));
    BOOST_TEST(holds("severity == major"));
    BOOST_TEST(holds("major == severity"));
    BOOST_TEST(holds("'major' == severity"));
    BOOST_TEST(holds("severity == event.level"));
    BOOST_TEST(holds("event.level == major"));
    BOOST_TEST(holds("event.reason == 'busy'"));
    BOOST_TEST(!holds("severity != major"));
}

BOOST_AUTO_TEST_CASE(a_comparison_with_an_unset_operand_is_false) {
    for (const char* t : {"count == 1", "count != 1", "count < 1", "count <= 1", "count > 1", "count >= 1",
                          "1 < count", "count == count", "count != count", "amount > 1", "severity == major",
                          "severity != major", "phone == 'x'", "phone != 'x'", "count + 1 > 0", "count + 1 != 0",
                          "count < event.n", "event.n >= count", "count in [1, 2]", "count not in [1, 2]",
                          "severity not in [minor]", "count * 2 not in [1]", "vip == true", "vip != true"})
        BOOST_TEST(!holds(t), t);
    attrs[count] = 1;
    BOOST_TEST(!holds("count < event.n"));
    BOOST_TEST(!holds("count != event.n"));
    BOOST_TEST(!holds("event.n <= count"));
}

// ---------------------------------------------------------------- logic

BOOST_AUTO_TEST_CASE(logic_operators_and_truth_of_unset_bools) {
    attrs[vip] = 1;
    BOOST_TEST(holds("vip && true"));
    BOOST_TEST(!holds("vip && false"));
    BOOST_TEST(holds("false || vip"));
    BOOST_TEST(!holds("!vip"));
    BOOST_TEST(holds("!!vip"));
    attrs[vip] = 0;
    BOOST_TEST(holds("!vip"));
    attrs[vip] = unset_slot;
    // An unset bool counts as false wherever a truth value is needed ...
    BOOST_TEST(!holds("vip && true"));
    BOOST_TEST(!holds("vip || false"));
    BOOST_TEST(holds("!vip"));
    BOOST_TEST(holds("!(count > 1)"));
    BOOST_TEST(!holds("event.urgent || vip"));
    // ... but a bare reference keeps its value, so `set: {flag: vip}` copies "no value".
    BOOST_TEST(eval("vip") == unset_slot);
    BOOST_TEST(evaluate_bool(compile("vip"), eval_context{attrs.data(), fields.data(), &pool, 0}) == false);
}

BOOST_AUTO_TEST_CASE(and_or_short_circuit_in_every_shape) {
    // Truth tables over a fused comparison, a plain comparison and a bool load.
    for (int a = 0; a < 2; ++a)
        for (int b = 0; b < 2; ++b)
            for (int c = 0; c < 2; ++c) {
                attrs[count] = a;
                fields[n] = b;
                attrs[vip] = c;
                const bool A = a == 1, B = b == 1, C = c == 1;
                BOOST_TEST(holds("count == 1 && event.n == 1") == (A && B));
                BOOST_TEST(holds("count == 1 && event.n == 1 && vip") == (A && B && C));
                BOOST_TEST(holds("count == 1 || event.n == 1 || vip") == (A || B || C));
                BOOST_TEST(holds("count == 1 && (event.n == 1 || vip)") == (A && (B || C)));
                BOOST_TEST(holds("(count == 1 || event.n == 1) && vip") == ((A || B) && C));
                BOOST_TEST(holds("vip && count == 1 || event.n == 1") == ((C && A) || B));
                BOOST_TEST(holds("!(count == 1) && !vip") == (!A && !C));
                BOOST_TEST(holds("vip == (count == 1)") == (C == A));
                BOOST_TEST(holds("(count == 1) != (event.n == 1)") == (A != B));
            }
}

BOOST_AUTO_TEST_CASE(whole_guard_conjunctions_and_disjunctions) {
    const slot states[] = {0, 1, unset_slot};
    for (slot a : states)
        for (slot b : states)
            for (slot c : states) {
                attrs[count] = a;
                attrs[vip] = b;
                attrs[severity] = c;
                const bool A = a == 1, B = b == 1, C = c == 2;
                BOOST_TEST(holds("count == 1 && vip == true") == (A && B));
                BOOST_TEST(holds("count == 1 && vip == true && severity == major") == (A && B && C));
                BOOST_TEST(holds("count == 1 || vip == true") == (A || B));
                BOOST_TEST(holds("count == 1 || vip == true || major == severity") == (A || B || C));
                BOOST_TEST(holds("count >= 1 && 1 >= count") == A);
                BOOST_TEST(holds("count != 1 || severity != major") == ((a != unset_slot && !A) || (c != unset_slot && !C)));
            }
}

BOOST_AUTO_TEST_CASE(precedence_is_c_like) {
    attrs[count] = 2;
    BOOST_TEST(eval("1 + 2 * 3") == 7);
    BOOST_TEST(eval("(1 + 2) * 3") == 9);
    BOOST_TEST(eval("10 - 4 - 3") == 3);  // left associative
    BOOST_TEST(eval("-count * 3") == -6);
    BOOST_TEST(eval("- -count") == 2);
    BOOST_TEST(eval("2 * -3") == -6);
    BOOST_TEST(holds("true || false && false"));  // && binds tighter than ||
    BOOST_TEST(!holds("(true || false) && false"));
    BOOST_TEST(holds("count + 1 == 3"));
    BOOST_TEST(holds("count * 2 in [4, 5]"));
    BOOST_TEST(holds("count < 3 == true"));  // relational binds tighter than equality
    BOOST_TEST(holds("!false && true"));
    BOOST_TEST(holds("! (count == 3)"));
}

// ---------------------------------------------------------------- in

BOOST_AUTO_TEST_CASE(in_and_not_in) {
    attrs[severity] = 2;
    attrs[count] = 3;
    attrs[amount] = 2500000;
    attrs[channel] = str("sms");
    fields[level] = 0;
    BOOST_TEST(holds("severity in [normal, major]"));
    BOOST_TEST(holds("severity in ['normal', 'major']"));
    BOOST_TEST(!holds("severity not in [normal, major]"));
    BOOST_TEST(holds("severity not in [minor]"));
    BOOST_TEST(holds("event.level in [minor]"));
    BOOST_TEST(holds("event.level not in [major, normal]"));
    BOOST_TEST(holds("count in [1, 2, 3]"));
    BOOST_TEST(holds("count in [-1, 3]"));
    BOOST_TEST(holds("count in [2.5, 3.0]"));  // int widened against a decimal list
    BOOST_TEST(holds("amount in [2.5, 7]"));
    BOOST_TEST(!holds("amount in [2, 3]"));
    BOOST_TEST(holds("channel in ['sms', 'phone']"));
    BOOST_TEST(holds("channel not in ['email']"));
    BOOST_TEST(holds("count + 1 in [4]"));
    BOOST_TEST(holds("count + 1 not in [3]"));
    BOOST_TEST(holds("3d in [1d, 3d]"));
    BOOST_TEST(holds("(count in [3]) == true"));
}

// ---------------------------------------------------------------- arithmetic

BOOST_AUTO_TEST_CASE(arithmetic_on_numbers) {
    attrs[count] = 7;
    attrs[amount] = 12 * M + 500000;  // 12.5
    BOOST_TEST(eval("count + 3") == 10);
    BOOST_TEST(eval("count - 10") == -3);
    BOOST_TEST(eval("count * 6") == 42);
    BOOST_TEST(eval("-count") == -7);
    BOOST_TEST(eval("amount + 1") == 13 * M + 500000);
    BOOST_TEST((compile("amount + 1").type.type == value_type::decimal));
    BOOST_TEST((compile("count * 1.5").type.type == value_type::decimal));
    BOOST_TEST(eval("count * 1.5") == 10 * M + 500000);
    BOOST_TEST(eval("1.5 * count") == 10 * M + 500000);
    BOOST_TEST(eval("count + 0.25") == 7 * M + 250000);
    BOOST_TEST(eval("amount * amount") == 156 * M + 250000);
    BOOST_TEST(eval("amount - 12.5") == 0);
    BOOST_TEST(eval("-amount") == -(12 * M + 500000));
    BOOST_TEST(eval("0.000001 * 0.5") == 1);    // rounds half away from zero
    BOOST_TEST(eval("-0.000001 * 0.5") == -1);
    BOOST_TEST(eval("0.000001 * 0.4") == 0);
}

BOOST_AUTO_TEST_CASE(arithmetic_on_time) {
    attrs[opened] = ms("2026-10-01T09:00:00+08:00");
    attrs[reply_at] = ms("2026-10-02T09:00:00+08:00");
    attrs[due] = day("2026-10-01");
    attrs[sla] = 4 * hour;
    now = ms("2026-10-01T12:00:00+08:00");
    BOOST_TEST(eval("opened + 3d") == ms("2026-10-04T09:00:00+08:00"));
    BOOST_TEST(eval("3d + opened") == ms("2026-10-04T09:00:00+08:00"));
    BOOST_TEST(eval("opened - 90m") == ms("2026-10-01T07:30:00+08:00"));
    BOOST_TEST(eval("now - opened") == 3 * hour);
    BOOST_TEST((compile("now - opened").type.type == value_type::duration));
    BOOST_TEST(holds("now - opened > 2h"));
    BOOST_TEST(holds("next_reply_at - 1d == opened"));
    BOOST_TEST(holds("now > opened + sla == false"));
    BOOST_TEST(eval("sla + 30m") == 4 * hour + 30 * 60000);
    BOOST_TEST(eval("sla - 5h") == -hour);
    BOOST_TEST(eval("sla * 2") == 8 * hour);
    BOOST_TEST(eval("3 * sla") == 12 * hour);
    BOOST_TEST(eval("sla * 1.5") == 6 * hour);
    BOOST_TEST(eval("0.5 * sla") == 2 * hour);
    BOOST_TEST(eval("-sla") == -4 * hour);
    BOOST_TEST(eval("due + 3") == day("2026-10-04"));
    BOOST_TEST(eval("2 + due") == day("2026-10-03"));
    BOOST_TEST(eval("due - 1") == day("2026-09-30"));
    BOOST_TEST(eval("2026-12-25 - due") == 85);
    BOOST_TEST((compile("due - due").type.type == value_type::integer));
    BOOST_TEST((compile("due + 1").type.type == value_type::date));
    BOOST_TEST(eval("event.promised_at - now") == unset_slot);
}

BOOST_AUTO_TEST_CASE(arithmetic_on_unset_or_overflowing_values_gives_unset) {
    for (const char* t : {"count + 1", "1 - count", "count * 2", "-count", "amount * 1.5", "count + 0.5",
                          "opened + 1d", "now - opened", "due + 1", "sla * 2", "sla * 1.5", "count - count"})
        BOOST_TEST(eval(t) == unset_slot, t);
    attrs[count] = INT64_MAX;
    BOOST_TEST(eval("count + 1") == unset_slot);
    BOOST_TEST(eval("count * 2") == unset_slot);
    BOOST_TEST(eval("0 - count - 2") == unset_slot);
    BOOST_TEST(eval("count + 0.5") == unset_slot);  // widening overflows
    BOOST_TEST(eval("count - 1") == INT64_MAX - 1);
    attrs[amount] = 9000000000000 * M;
    BOOST_TEST(eval("amount * amount") == unset_slot);
}

// ---------------------------------------------------------------- is_set

BOOST_AUTO_TEST_CASE(is_set_tests_for_a_value) {
    BOOST_TEST(!holds("is_set(count)"));
    BOOST_TEST(holds("!is_set(count)"));
    BOOST_TEST(!holds("is_set(event.promised_at)"));
    BOOST_TEST(holds("!is_set(count) || count != 3"));
    attrs[count] = 0;
    fields[promised_at] = 0;
    BOOST_TEST(holds("is_set(count)"));
    BOOST_TEST(holds("is_set( event.promised_at )"));
    attrs[vip] = 0;
    BOOST_TEST(holds("is_set(vip)"));
}

// ---------------------------------------------------------------- expected types

BOOST_AUTO_TEST_CASE(expected_types_resolve_and_widen) {
    const slot_type sev = ty(value_type::enumeration, 0);
    const slot_type dec = ty(value_type::decimal);
    const slot_type boolean = ty(value_type::boolean);
    const slot_type str_t = ty(value_type::string);
    BOOST_TEST(eval(compile("major", &sev)) == 2);
    BOOST_TEST(eval(compile("'minor'", &sev)) == 0);
    BOOST_TEST((compile("major", &sev).type == sev));
    BOOST_TEST(eval(compile("event.level", &sev)) == unset_slot);
    program p = compile("3", &dec);
    BOOST_TEST((p.type == dec));
    BOOST_TEST(eval(p) == 3 * M);
    attrs[count] = 4;
    BOOST_TEST(eval(compile("count * 2", &dec)) == 8 * M);
    const slot id = eval(compile("'major'", &str_t));
    BOOST_TEST(id == pool.find("major"));
    BOOST_TEST((compile("count > 1", &boolean).type == boolean));
    const slot_type none = ty(value_type::none);
    BOOST_TEST((compile("count", &none).type.type == value_type::integer));
}

// ---------------------------------------------------------------- code shapes

BOOST_AUTO_TEST_CASE(common_guards_compile_to_fused_instructions) {
    program p = compile("severity == 'major'");
    BOOST_TEST_REQUIRE(p.code.size() == 1u);
    BOOST_TEST(p.code[0].op == expr_op::cmp_ai + expr_op::eq);
    BOOST_TEST(p.code[0].arg == severity);
    BOOST_TEST(p.code[0].imm == 2);
    BOOST_TEST(p.max_stack == 1u);

    p = compile("severity == 'major' && amount > 100");
    BOOST_TEST_REQUIRE(p.code.size() == 3u);
    BOOST_TEST(p.code[0].op == expr_op::all_ai);
    BOOST_TEST(p.code[0].imm == 2);
    BOOST_TEST(p.code[1].op == expr_op::cmp_ai + expr_op::eq);
    BOOST_TEST(p.code[2].op == expr_op::cmp_ai + expr_op::gt);
    BOOST_TEST(p.code[2].imm == 100 * M);

    p = compile("channel == 'sms' || count >= 3 || 'x' != phone");
    BOOST_TEST_REQUIRE(p.code.size() == 4u);
    BOOST_TEST(p.code[0].op == expr_op::any_ai);

    // Inside a larger expression a comparison fuses with its && jump.
    p = compile("(severity == 'major' && amount > 100) || vip");
    BOOST_TEST_REQUIRE(p.code.size() == 5u);
    BOOST_TEST(p.code[0].op == expr_op::cmp_ai_and + expr_op::eq);
    BOOST_TEST(p.code[1].op == expr_op::jump);
    BOOST_TEST(p.code[1].arg == 3u);
    BOOST_TEST(p.code[2].op == expr_op::cmp_ai + expr_op::gt);
    BOOST_TEST(p.code[3].op == expr_op::jump_true);
    BOOST_TEST(p.code[4].op == expr_op::truth_attr);

    p = compile("100 < amount");
    BOOST_TEST_REQUIRE(p.code.size() == 1u);
    BOOST_TEST(p.code[0].op == expr_op::cmp_ai + expr_op::gt);

    p = compile("severity in [normal, major]");
    BOOST_TEST_REQUIRE(p.code.size() == 3u);
    BOOST_TEST(p.code[0].op == expr_op::in_attr);
    BOOST_TEST(p.code[0].imm == 2);
}

BOOST_AUTO_TEST_CASE(stack_depth_is_computed_and_limited) {
    BOOST_TEST(compile("1 + (2 + (3 + 4))").max_stack == 4u);
    BOOST_TEST(compile("1 + 2 + 3 + 4").max_stack == 2u);
    // 40 right-nested additions fit; nesting beyond the parser's limit does not.
    std::string deep = "count";
    for (int i = 0; i < 40; ++i) deep = "1 + (" + deep + ")";
    attrs[count] = 0;
    program p = compile(deep);
    BOOST_TEST(p.max_stack == 41u);
    BOOST_TEST(eval(p) == 40);
    std::string deeper = std::string(49, '(') + "1" + std::string(49, ')');
    BOOST_TEST(error(deeper) ==
               "rules/x.yaml:12:58: expression is nested too deeply; expected at most 48 levels of parentheses and "
               "unary operators");
    // A wide expression with no nesting is fine.
    std::string wide = "count == 0";
    for (int i = 0; i < 200; ++i) wide += " && count == 0";
    BOOST_TEST(holds(wide));
}

BOOST_AUTO_TEST_CASE(deep_stack_beyond_the_limit_is_refused) {
    // `1 + 1 * (...)` costs two stack slots per level of parentheses.
    std::string e = "1";
    for (int i = 0; i < 35; ++i) e = "1 + 1 * (" + e + ")";
    BOOST_TEST(error(e) ==
               "rules/x.yaml:12:10: expression is too complex: it needs an evaluation stack of 71 values; expected at "
               "most 64");
    e = "1";
    for (int i = 0; i < 31; ++i) e = "1 + 1 * (" + e + ")";
    program p = compile(e);
    BOOST_TEST(p.max_stack == 63u);
    BOOST_TEST(eval(p) == 32);
}

// ---------------------------------------------------------------- errors: names

BOOST_AUTO_TEST_CASE(error_unknown_names) {
    BOOST_TEST(error("severty == 'major'") == "rules/x.yaml:12:10: unknown attribute 'severty' (did you mean 'severity'?)");
    BOOST_TEST(error("count > 1 && amout > 2") == "rules/x.yaml:12:23: unknown attribute 'amout' (did you mean 'amount'?)");
    BOOST_TEST(error("zzz") == "rules/x.yaml:12:10: unknown attribute 'zzz'");
    BOOST_TEST(error("count == null") ==
               "rules/x.yaml:12:19: unknown attribute 'null'; to test for no value use is_set(name)");
    BOOST_TEST(error("event.promise_at > now") ==
               "rules/x.yaml:12:10: unknown field 'promise_at' of event 'cannot_solve' (did you mean 'promised_at'?)");
    BOOST_TEST(error("is_set(cont)") == "rules/x.yaml:12:17: unknown attribute 'cont' (did you mean 'count'?)");
    BOOST_TEST(error("isset(count)") ==
               "rules/x.yaml:12:10: unknown function 'isset' (did you mean 'is_set'?); expected is_set(name)");
    BOOST_TEST(error("max(count)") == "rules/x.yaml:12:10: unknown function 'max'; expected is_set(name)");
}

BOOST_AUTO_TEST_CASE(error_event_fields_outside_an_event) {
    BOOST_TEST(error("next_reply_at < event.promised_at", nullptr, false) ==
               "rules/x.yaml:12:26: event fields are not available here: event.promised_at (only in a transition "
               "triggered by an event)");
    BOOST_TEST(error("is_set(event.n)", nullptr, false) ==
               "rules/x.yaml:12:17: event fields are not available here: event.n (only in a transition triggered by "
               "an event)");
    BOOST_TEST(error("event") == "rules/x.yaml:12:15: expected '.<field>' after 'event', found the end of the expression");
    BOOST_TEST(error("event.") == "rules/x.yaml:12:16: expected a field name after 'event.', found the end of the expression");
}

BOOST_AUTO_TEST_CASE(error_enum_values) {
    // The brief's example: the expression starts at column 10 of line 12.
    BOOST_TEST(error("severity == 'majr'") ==
               "rules/x.yaml:12:22: unknown value 'majr' for severity (did you mean 'major'?); expected one of: "
               "minor, normal, major");
    BOOST_TEST(error("severity == majr") ==
               "rules/x.yaml:12:22: unknown value 'majr' for severity (did you mean 'major'?); expected one of: "
               "minor, normal, major");
    BOOST_TEST(error("'urgent' == severity") ==
               "rules/x.yaml:12:10: unknown value 'urgent' for severity; expected one of: minor, normal, major");
    BOOST_TEST(error("event.level in [minor, hgih]") ==
               "rules/x.yaml:12:33: unknown value 'hgih' for event.level; expected one of: minor, normal, major");
    BOOST_TEST(error("priority == hig") ==
               "rules/x.yaml:12:22: unknown value 'hig' for priority (did you mean 'high'?); expected one of: low, "
               "high");
    const slot_type sev = ty(value_type::enumeration, 0);
    BOOST_TEST(error("mjaor", &sev) ==
               "rules/x.yaml:12:10: unknown value 'mjaor' for the enum; expected one of: minor, normal, major");
    BOOST_TEST(error("severity == priority") ==
               "rules/x.yaml:12:19: type mismatch: cannot compare enum (minor, normal, major) with enum (low, high)");
}

// ---------------------------------------------------------------- errors: types

BOOST_AUTO_TEST_CASE(error_type_mismatches) {
    BOOST_TEST(error("count == 'x'") == "rules/x.yaml:12:16: type mismatch: cannot compare int with string");
    BOOST_TEST(error("due < opened") == "rules/x.yaml:12:14: type mismatch: cannot compare date with instant");
    BOOST_TEST(error("severity == phone") ==
               "rules/x.yaml:12:19: type mismatch: cannot compare enum (minor, normal, major) with string");
    BOOST_TEST(error("vip == 1") == "rules/x.yaml:12:14: type mismatch: cannot compare bool with int");
    BOOST_TEST(error("phone < 'b'") ==
               "rules/x.yaml:12:16: type mismatch: '<' cannot order string values; expected int, decimal, enum, "
               "date, instant or duration (string compares only with == and !=)");
    BOOST_TEST(error("vip >= false") ==
               "rules/x.yaml:12:14: type mismatch: '>=' cannot order bool values; expected int, decimal, enum, "
               "date, instant or duration (bool compares only with == and !=)");
    BOOST_TEST(error("count && vip") == "rules/x.yaml:12:10: operand of '&&' must be bool, found int");
    BOOST_TEST(error("vip || amount") == "rules/x.yaml:12:17: operand of '||' must be bool, found decimal");
    BOOST_TEST(error("!count") == "rules/x.yaml:12:11: operand of '!' must be bool, found int");
    BOOST_TEST(error("!severity == major") ==
               "rules/x.yaml:12:11: operand of '!' must be bool, found enum (minor, normal, major)");
    BOOST_TEST(error("-phone") ==
               "rules/x.yaml:12:10: type mismatch: cannot negate string; expected int, decimal or duration");
    BOOST_TEST(error("phone + 'x'") ==
               "rules/x.yaml:12:16: type mismatch: cannot apply '+' to string and string; expected int or decimal + "
               "int or decimal, duration + duration, instant + duration, date + int (days)");
    BOOST_TEST(error("due + 1d") ==
               "rules/x.yaml:12:14: type mismatch: cannot apply '+' to date and duration; expected int or decimal + "
               "int or decimal, duration + duration, instant + duration, date + int (days)");
    BOOST_TEST(error("1d - now") ==
               "rules/x.yaml:12:13: type mismatch: cannot apply '-' to duration and instant; expected int or decimal "
               "- int or decimal, duration - duration, instant - duration, instant - instant, date - int (days), date "
               "- date");
    BOOST_TEST(error("sla * sla") ==
               "rules/x.yaml:12:14: type mismatch: cannot apply '*' to duration and duration; expected int or decimal "
               "* int or decimal, duration * int or decimal");
    BOOST_TEST(error("now + now") ==
               "rules/x.yaml:12:14: type mismatch: cannot apply '+' to instant and instant; expected int or decimal + "
               "int or decimal, duration + duration, instant + duration, date + int (days)");
}

BOOST_AUTO_TEST_CASE(error_in_lists) {
    BOOST_TEST(error("count in [1, 'x']") ==
               "rules/x.yaml:12:23: type mismatch: the list of 'in' holds string, expected int like its left side");
    BOOST_TEST(error("count not in [1, amount]") ==
               "rules/x.yaml:12:27: the values in the list of 'not in' must be literals; found attribute 'amount'");
    BOOST_TEST(error("count in [1, event.n]") ==
               "rules/x.yaml:12:23: the values in the list of 'in' must be literals; found event field 'event.n'");
    BOOST_TEST(error("count in [1 + 1]") ==
               "rules/x.yaml:12:20: the values in the list of 'in' must be literals; found a computed value");
    BOOST_TEST(error("vip in [true]") ==
               "rules/x.yaml:12:14: type mismatch: 'in' needs a non-bool left side; expected == or !=");
    BOOST_TEST(error("count in []") == "rules/x.yaml:12:20: empty list; expected at least one value after '['");
    BOOST_TEST(error("count in 1, 2") ==
               "rules/x.yaml:12:19: expected '[' after 'in', found '1'; write the values as a list: in [a, b]");
    BOOST_TEST(error("count in [1, 2") ==
               "rules/x.yaml:12:24: missing ']'; expected ']' to close the '[' at column 19");
    BOOST_TEST(error("count in [1 2]") == "rules/x.yaml:12:22: expected ',' or ']' in the list, found '2'");
    BOOST_TEST(error("count in [1,]") == "rules/x.yaml:12:22: expected an expression after ',', found ']'");
    BOOST_TEST(error("count not [1]") == "rules/x.yaml:12:20: expected 'in' after 'not', found '['");
}

BOOST_AUTO_TEST_CASE(error_expected_result_type) {
    const slot_type boolean = ty(value_type::boolean);
    const slot_type integer = ty(value_type::integer);
    const slot_type sev = ty(value_type::enumeration, 0);
    const slot_type instant_t = ty(value_type::instant);
    BOOST_TEST(error("count + 1", &boolean) == "rules/x.yaml:12:10: guard must be bool, found int");
    BOOST_TEST(error("  amount", &boolean) == "rules/x.yaml:12:12: guard must be bool, found decimal");
    BOOST_TEST(error("amount", &integer) == "rules/x.yaml:12:10: value must be int, found decimal");
    BOOST_TEST(error("priority", &sev) ==
               "rules/x.yaml:12:10: value must be enum (minor, normal, major), found enum (low, high)");
    BOOST_TEST(error("due", &instant_t) == "rules/x.yaml:12:10: value must be instant, found date");
    BOOST_TEST(error("'x'", &integer) == "rules/x.yaml:12:10: value must be int, found string");
}

// ---------------------------------------------------------------- errors: syntax

BOOST_AUTO_TEST_CASE(error_syntax) {
    BOOST_TEST(error("") == "rules/x.yaml:12:10: empty expression; expected an expression");
    BOOST_TEST(error("   ") == "rules/x.yaml:12:13: empty expression; expected an expression");
    BOOST_TEST(error("vip &&") == "rules/x.yaml:12:16: expected an expression after '&&'");
    BOOST_TEST(error("vip && )") == "rules/x.yaml:12:17: expected an expression after '&&', found ')'");
    BOOST_TEST(error("vip || ") == "rules/x.yaml:12:17: expected an expression after '||'");
    BOOST_TEST(error("count ==") == "rules/x.yaml:12:18: expected an expression after '=='");
    BOOST_TEST(error("count + * 2") == "rules/x.yaml:12:18: expected an expression after '+', found '*'");
    BOOST_TEST(error("!") == "rules/x.yaml:12:11: expected an expression after '!'");
    BOOST_TEST(error("( ") == "rules/x.yaml:12:12: expected an expression after '('");
    BOOST_TEST(error(")") == "rules/x.yaml:12:10: expected an expression, found ')'");
    BOOST_TEST(error("(count > 1") == "rules/x.yaml:12:20: missing ')'; expected ')' to close the '(' at column 10");
    BOOST_TEST(error("(count > 1]") ==
               "rules/x.yaml:12:20: expected ')' to close the '(' at column 10, found ']'");
    BOOST_TEST(error("count > 1)") == "rules/x.yaml:12:19: unmatched ')'; expected an operator or the end of the expression");
    BOOST_TEST(error("count 1") ==
               "rules/x.yaml:12:16: unexpected '1'; expected an operator or the end of the expression");
    BOOST_TEST(error("vip and vip") ==
               "rules/x.yaml:12:14: unexpected 'and'; expected an operator or the end of the expression ('&&' means and)");
    BOOST_TEST(error("vip or vip") ==
               "rules/x.yaml:12:14: unexpected 'or'; expected an operator or the end of the expression ('||' means or)");
    BOOST_TEST(error("not vip") ==
               "rules/x.yaml:12:10: unexpected 'not'; expected an expression ('!' negates, 'not in [...]' tests a list)");
    BOOST_TEST(error("count = 1") == "rules/x.yaml:12:16: '=' is not an operator; expected '==' to compare");
    BOOST_TEST(error("vip & vip") == "rules/x.yaml:12:14: '&' is not an operator; expected '&&'");
    BOOST_TEST(error("vip | vip") == "rules/x.yaml:12:14: '|' is not an operator; expected '||'");
    BOOST_TEST(error("count / 2") ==
               "rules/x.yaml:12:16: unexpected character '/'; expected a name, a literal, an operator or a parenthesis");
    BOOST_TEST(error("1 < count < 3") ==
               "rules/x.yaml:12:20: comparisons cannot be chained; expected '&&' or '||' between two comparisons");
    BOOST_TEST(error("vip == vip == vip") ==
               "rules/x.yaml:12:21: comparisons cannot be chained; expected '&&' or '||' between two comparisons");
    BOOST_TEST(error("count < 1 in [true]") ==
               "rules/x.yaml:12:20: comparisons cannot be chained; expected '&&' or '||' between two comparisons");
    BOOST_TEST(error("Severity") ==
               "rules/x.yaml:12:10: unexpected character 'S'; expected a name of lowercase letters, digits and '_'");
    BOOST_TEST(error("sevErity") ==
               "rules/x.yaml:12:13: unexpected character 'E'; expected a name of lowercase letters, digits and '_'");
    BOOST_TEST(error("is_set count") == "rules/x.yaml:12:17: expected '(' after 'is_set', found 'count'");
    BOOST_TEST(error("is_set(1)") ==
               "rules/x.yaml:12:17: is_set takes an attribute name or event.<field>; found '1'");
    BOOST_TEST(error("is_set(now)") ==
               "rules/x.yaml:12:17: is_set takes an attribute name or event.<field>; found 'now'");
    BOOST_TEST(error("is_set(count") ==
               "rules/x.yaml:12:22: expected ')' after the name in is_set(...), found the end of the expression");
    BOOST_TEST(error("count in") == "rules/x.yaml:12:18: expected '[' after 'in', found the end of the expression; write the values as a list: in [a, b]");
}

BOOST_AUTO_TEST_CASE(error_literals) {
    BOOST_TEST(error("phone == 'abc") ==
               "rules/x.yaml:12:19: unterminated string literal; expected a closing '");
    BOOST_TEST(error("phone == \"abc") ==
               "rules/x.yaml:12:19: unterminated string literal; expected a closing \"");
    BOOST_TEST(error("phone == 'abc\\") ==
               "rules/x.yaml:12:19: unterminated string literal; expected a closing '");
    BOOST_TEST(error("phone == 'a\\nb'") ==
               "rules/x.yaml:12:21: unknown escape '\\n' in string literal; expected \\\\, \\' or \\\"");
    BOOST_TEST(error("due == 2026-02-30") ==
               "rules/x.yaml:12:17: invalid date '2026-02-30'; expected a calendar date YYYY-MM-DD");
    BOOST_TEST(error("due == 2026-02-03x") ==
               "rules/x.yaml:12:17: invalid date '2026-02-03x'; expected YYYY-MM-DD, or YYYY-MM-DDThh:mm:ss+08:00 "
               "for an instant");
    BOOST_TEST(error("opened < 2026-10-01T09:00:00") ==
               "rules/x.yaml:12:19: instant '2026-10-01T09:00:00' has no UTC offset; expected an offset such as "
               "+08:00 or Z at its end");
    BOOST_TEST(error("opened < 2026-10-01T25:00Z") ==
               "rules/x.yaml:12:19: invalid instant '2026-10-01T25:00Z'; expected YYYY-MM-DDThh:mm[:ss] with an "
               "offset such as +08:00 or Z");
    BOOST_TEST(error("sla > 3x") ==
               "rules/x.yaml:12:16: invalid duration '3x'; expected a whole number and unit such as 3d, 4h30m, 90m, "
               "30s, 500ms or ISO 8601 PT4H");
    BOOST_TEST(error("sla > 3M") ==
               "rules/x.yaml:12:16: invalid duration '3M'; expected a whole number and unit such as 3d, 4h30m, 90m, "
               "30s, 500ms or ISO 8601 PT4H");
    BOOST_TEST(error("sla > P1M") ==
               "rules/x.yaml:12:16: invalid duration 'P1M'; expected a whole number and unit such as 3d, 4h30m, 90m, "
               "30s, 500ms or ISO 8601 PT4H");
    BOOST_TEST(error("sla > 1.5h") ==
               "rules/x.yaml:12:16: invalid number '1.5h'; expected a decimal such as 12.50 (durations take whole "
               "units: 1h30m)");
    BOOST_TEST(error("amount > 12.") == "rules/x.yaml:12:19: invalid number '12.'; expected digits after the '.'");
    BOOST_TEST(error("amount > 1.1234567") ==
               "rules/x.yaml:12:19: invalid decimal '1.1234567'; expected at most 6 digits after the '.'");
    BOOST_TEST(error("amount > 90000000000000.5") ==
               "rules/x.yaml:12:19: decimal '90000000000000.5' is too large; expected at most 9000000000000");
    BOOST_TEST(error("count > 9223372036854775808") ==
               "rules/x.yaml:12:18: integer '9223372036854775808' is too large; expected at most 9223372036854775807");
    BOOST_TEST(error("amount > 90000000000000") ==
               "rules/x.yaml:12:19: number 90000000000000 is too large for a decimal; expected at most 9000000000000");
    BOOST_TEST(error("count # 1") ==
               "rules/x.yaml:12:16: unexpected character '#'; expected a name, a literal, an operator or a parenthesis");
}

BOOST_AUTO_TEST_CASE(columns_count_characters_not_bytes) {
    BOOST_TEST(error("phone == '投诉' && cont > 1") ==
               "rules/x.yaml:12:27: unknown attribute 'cont' (did you mean 'count'?)");
    BOOST_TEST(error("phone == ’x’") ==
               "rules/x.yaml:12:19: unexpected character '’'; expected a name, a literal, an operator or a parenthesis");
}

BOOST_AUTO_TEST_CASE(error_positions_without_a_column) {
    try {
        compile_expr("cont", source_pos{"rules/y.yaml", 3, 0}, scope, pool);
        BOOST_FAIL("no error");
    } catch (const rule_error& e) {
        BOOST_TEST(e.pos().line == 3);
        BOOST_TEST(e.pos().column == 0);
        BOOST_TEST(e.message() == "unknown attribute 'cont' (did you mean 'count'?)");
    }
}

// ---------------------------------------------------------------- speed (informational)

BOOST_AUTO_TEST_CASE(typical_guard_is_fast) {
    program p = compile("severity == 'major' && amount > 100");
    attrs[severity] = 2;
    attrs[amount] = 150 * M;
    eval_context ctx{attrs.data(), fields.data(), &pool, 0};
    constexpr int rounds = 2000000;
    slot sum = 0;
    auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < rounds; ++i) sum += evaluate(p, ctx);
    auto t1 = std::chrono::steady_clock::now();
    BOOST_TEST(sum == rounds);
    const double ns = std::chrono::duration<double, std::nano>(t1 - t0).count() / rounds;
    BOOST_TEST_MESSAGE("severity == 'major' && amount > 100: " << ns << " ns per evaluation");
    BOOST_TEST(ns < 1000.0);  // generous: only catches pathologies (sanitizers, debug builds)
}

BOOST_AUTO_TEST_SUITE_END()
