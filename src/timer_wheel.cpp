// The timing wheel.  Invariant: a timer at level k > 0 has the same key digits
// as now_ above k and a larger digit k; a level-0 timer differs from now_ at
// most in digit 0, where it is >= now_'s.  Hence the lowest non-empty level
// holds the earliest timers and, in it, the lowest occupied slot.  When a slot
// is cascaded every lower level is empty, and later inserts carry larger
// sequence numbers, so each slot's array stays in insertion order: ties need
// no sorting.  Timers due before now_ wait in a small heap (`overdue_`).
//
// Slots are arrays, not linked lists: a cascade reads its slot front to back
// and, below level 4, never touches a node, so a million timers spread over
// a week cost one scattered memory access each (when they fire, prefetched
// while they are cascaded into the last two levels) instead of one per level.
// The price is lazy cancellation: a cancelled timer clears its `live_` bit and
// its entry (a zombie) stays until its slot is cascaded or fired, or until a
// quarter of the slot is zombies and cancel compacts it.  A zombie's node is
// not reused before its entry is gone, so an index in a slot never means two
// timers.  Every occupied slot holds at least one live timer.
#include "caseflow/detail/timer_wheel.hpp"

#include <algorithm>
#include <cassert>
#include <stdexcept>

namespace caseflow::detail {
namespace {

inline unsigned ctz64(std::uint64_t x) noexcept { return static_cast<unsigned>(__builtin_ctzll(x)); }
inline unsigned msb64(std::uint64_t x) noexcept { return 63u - static_cast<unsigned>(__builtin_clzll(x)); }

// Min-heap on (due, seq): std::push_heap wants "less" meaning "lower priority".
struct later {
    template <class E>
    bool operator()(const E& a, const E& b) const noexcept {
        return a.due != b.due ? a.due > b.due : a.seq > b.seq;
    }
};

}  // namespace

timer_wheel::timer_wheel(std::int64_t now) : now_(to_key(now)), slots_(levels * slots) {}

std::uint32_t timer_wheel::allocate() {
    if (free_ == none) {
        if (capacity_ > none - chunk_size - 1) throw std::length_error("timer_wheel: too many timers");
        live_.resize(live_.size() + chunk_size / 64);  // (first: harmless if the chunk then fails)
        chunks_.push_back(std::make_unique<node[]>(chunk_size));
        const std::uint32_t base = capacity_;
        capacity_ += chunk_size;
        // Free list in ascending index order, so a fresh wheel hands out
        // nodes sequentially (good locality for bulk inserts).
        for (std::uint32_t i = capacity_; i-- > base;) {
            at(i) = node{0, free_, 0};
            free_ = i;
        }
    }
    const std::uint32_t i = free_;
    free_ = static_cast<std::uint32_t>(at(i).payload);
    // The free list runs through scattered nodes (cancelled timers are freed
    // in batches): fetch the next one before it is needed.
    if (free_ != none) __builtin_prefetch(&at(free_), 1);
    live_[i / 64] |= std::uint64_t{1} << (i % 64);
    return i;
}

void timer_wheel::retire(std::uint32_t i) noexcept {
    live_[i / 64] &= ~(std::uint64_t{1} << (i % 64));
    at(i).seq = 0;
}

void timer_wheel::release(std::uint32_t i) noexcept {
    retire(i);
    at(i).payload = free_;
    free_ = i;
}

void timer_wheel::release_zombies(slot_array& a) noexcept {
    a.zombies = 0;
    if (a.zombie_head == none) return;
    at(a.zombie_tail).payload = free_;
    free_ = a.zombie_head;
    a.zombie_head = a.zombie_tail = none;
}

void timer_wheel::mark_occupied(std::uint32_t s) noexcept {
    const unsigned level = s / slots;
    occupied_[s / 64] |= std::uint64_t{1} << (s % 64);
    occupied_words_[level] |= std::uint64_t{1} << (s % slots / 64);
    occupied_levels_ |= 1u << level;
}

void timer_wheel::mark_empty(std::uint32_t s) noexcept {
    std::uint64_t& word = occupied_[s / 64];
    word &= ~(std::uint64_t{1} << (s % 64));
    if (word != 0) return;
    const unsigned level = s / slots;
    occupied_words_[level] &= ~(std::uint64_t{1} << (s % slots / 64));
    if (occupied_words_[level] == 0) occupied_levels_ &= ~(1u << level);
}

std::uint32_t timer_wheel::first_occupied(unsigned level) const noexcept {
    const unsigned word = level * words + ctz64(occupied_words_[level]);
    return word * 64 + ctz64(occupied_[word]);
}

std::uint32_t timer_wheel::slot_of(std::uint64_t key) const noexcept {
    assert(key >= now_);
    const std::uint64_t diff = key ^ now_;
    const unsigned level = diff == 0 ? 0 : msb64(diff) / level_bits;
    return level * slots + (static_cast<unsigned>(key >> (level * level_bits)) & (slots - 1));
}

std::uint64_t timer_wheel::entry_key(const entry& e, bool from_low) const noexcept {
    return from_low ? (now_ & ~std::uint64_t{0xffffffff}) | e.low : to_key(at(e.index).due);
}

std::size_t timer_wheel::first_unfired(std::uint32_t s) const noexcept { return s == drain_slot_ ? drain_pos_ : 0; }

void timer_wheel::file(std::uint32_t i, std::uint64_t key) {
    const std::uint32_t s = slot_of(key);
    std::vector<entry>& v = slots_[s].entries;
    if (v.empty()) mark_occupied(s);
    v.push_back(entry{i, static_cast<std::uint32_t>(key)});
}

std::uint64_t timer_wheel::slot_start(unsigned level, unsigned slot) const noexcept {
    const unsigned above = (level + 1) * level_bits;
    const std::uint64_t high = above >= 64 ? 0 : (now_ >> above) << above;
    return high | (std::uint64_t{slot} << (level * level_bits));
}

void timer_wheel::clear_slot(std::uint32_t s) noexcept {
    slot_array& a = slots_[s];
    if (a.entries.capacity() > kept_capacity) {
        std::vector<entry>().swap(a.entries);
    } else {
        a.entries.clear();
    }
    release_zombies(a);
    mark_empty(s);
    if (s == drain_slot_) drain_slot_ = none;
}

void timer_wheel::cascade(std::uint32_t s, std::uint64_t before) {
    // Every timer re-files to a lower level, never back into this slot.
    std::vector<entry>& v = slots_[s].entries;
    const bool from_low = s / slots <= max_low_level;
    std::size_t done = 0;
    try {
        for (; done < v.size(); ++done) {
            const entry e = v[done];
            if (!live(e.index)) continue;  // a zombie
            const std::uint32_t to = slot_of(entry_key(e, from_low));
            // Due within the next 17.5 minutes: fetch the node now, so that
            // it is in cache when the timer fires (cascades never read it).
            if (to < 2 * slots) __builtin_prefetch(&at(e.index), 1);
            std::vector<entry>& d = slots_[to].entries;
            d.push_back(e);
            if (d.size() == 1) mark_occupied(to);
        }
    } catch (...) {
        // Out of memory: take back what was filed (every lower level was
        // empty, so each destination array ends with exactly those entries)
        // and put the clock back; the wheel is as it was before the call.
        while (done-- > 0) {
            const entry e = v[done];
            if (!live(e.index)) continue;
            const std::uint32_t to = slot_of(entry_key(e, from_low));
            std::vector<entry>& d = slots_[to].entries;
            d.pop_back();
            if (d.empty()) mark_empty(to);
        }
        now_ = before;
        throw;
    }
    clear_slot(s);
}

void timer_wheel::drop_zombies(std::uint32_t s) noexcept {
    slot_array& a = slots_[s];
    std::vector<entry>& v = a.entries;
    const std::size_t start = first_unfired(s);
    entry* out = v.data() + start;
    for (const entry* it = out; it != v.data() + v.size(); ++it) {  // branch-free: zombies are random
        *out = *it;
        out += live(it->index);
    }
    v.resize(static_cast<std::size_t>(out - v.data()));
    release_zombies(a);
    if (v.size() == start) clear_slot(s);
}

void timer_wheel::drop_stale_overdue() noexcept {
    while (!overdue_.empty() && at(overdue_.front().index).seq != overdue_.front().seq) {
        std::pop_heap(overdue_.begin(), overdue_.end(), later{});
        overdue_.pop_back();
    }
}

void timer_wheel::take(std::uint32_t i, expired_timer& out) noexcept {
    const node& n = at(i);
    out.id = timer_id{i, n.seq};
    out.due = n.due;
    out.payload = n.payload;
    release(i);
    --size_;
    cache_valid_ = false;
}

timer_id timer_wheel::insert(std::int64_t due, std::uint64_t payload) {
    const std::uint32_t i = allocate();
    node& n = at(i);
    n.due = due;
    n.payload = payload;
    n.seq = next_seq_++;
    const std::uint64_t key = to_key(due);
    try {
        if (key < now_) {
            overdue_.push_back(overdue_entry{due, n.seq, i});
            std::push_heap(overdue_.begin(), overdue_.end(), later{});
            ++overdue_live_;
        } else {
            file(i, key);
        }
    } catch (...) {  // out of memory: the timer was never filed
        release(i);
        throw;
    }
    if (size_ == 0) {
        cached_next_ = due;
        cache_valid_ = true;
    } else if (cache_valid_ && due < cached_next_) {
        cached_next_ = due;
    }
    ++size_;
    return timer_id{i, n.seq};
}

bool timer_wheel::pending(timer_id id) const noexcept {
    return id.seq != 0 && id.index < capacity_ && at(id.index).seq == id.seq;
}

timer_id timer_wheel::handle(std::uint32_t index) const noexcept {
    if (index >= capacity_ || at(index).seq == 0) return {};
    return timer_id{index, at(index).seq};
}

std::uint64_t timer_wheel::payload(timer_id id) const noexcept { return pending(id) ? at(id.index).payload : 0; }

bool timer_wheel::cancel(timer_id id) noexcept {
    if (!pending(id)) return false;
    node& n = at(id.index);
    if (cache_valid_ && n.due == cached_next_) cache_valid_ = false;
    --size_;
    const std::uint64_t key = to_key(n.due);
    if (key < now_) {  // in overdue_: wheel timers are never earlier than now_
        --overdue_live_;
        release(id.index);
        drop_stale_overdue();
        // Lazy deletion leaves garbage in the heap; compact before it dominates.
        if (overdue_.size() > 64 && overdue_.size() > 2 * overdue_live_) {
            overdue_.erase(std::remove_if(overdue_.begin(), overdue_.end(),
                                          [this](const overdue_entry& e) { return at(e.index).seq != e.seq; }),
                           overdue_.end());
            std::make_heap(overdue_.begin(), overdue_.end(), later{});
        }
        return true;
    }
    // Leave a zombie in the slot; drop them once they are a quarter of it,
    // or all of it (an occupied slot must hold a live timer).
    retire(id.index);
    const std::uint32_t s = slot_of(key);
    slot_array& a = slots_[s];
    n.payload = a.zombie_head;
    a.zombie_head = id.index;
    if (a.zombie_tail == none) a.zombie_tail = id.index;
    const std::size_t unfired = a.entries.size() - first_unfired(s);
    ++a.zombies;
    if (a.zombies == unfired || (a.zombies >= 8 && 4 * std::size_t{a.zombies} > unfired)) drop_zombies(s);
    return true;
}

bool timer_wheel::pop_expired(std::int64_t now, expired_timer& out) {
    // Overdue timers are all earlier than anything in the wheel.
    if (!overdue_.empty()) {
        if (overdue_.front().due > now) return false;
        const std::uint32_t i = overdue_.front().index;
        std::pop_heap(overdue_.begin(), overdue_.end(), later{});
        overdue_.pop_back();
        --overdue_live_;
        take(i, out);
        drop_stale_overdue();
        return true;
    }
    // The earliest timers are the first unfired ones of the lowest occupied
    // level-0 slot.  Timers inserted at this very instant by a callback join
    // its end: they fire in this advance, after the others, as their
    // sequence numbers say.
    const std::uint32_t s = next_due_slot(to_key(now));
    if (s == none) return false;
    if (s != drain_slot_) {
        drain_slot_ = s;
        drain_pos_ = 0;
    }
    slot_array& a = slots_[s];
    for (;;) {
        assert(drain_pos_ < a.entries.size());
        const std::uint32_t i = a.entries[drain_pos_++].index;
        if (!live(i)) {  // a zombie
            --a.zombies;
            continue;
        }
        if (drain_pos_ + 4 < a.entries.size()) __builtin_prefetch(&at(a.entries[drain_pos_ + 4].index), 1);
        take(i, out);
        // Every occupied slot holds a live timer: drop trailing zombies now.
        if (a.zombies == a.entries.size() - drain_pos_) drop_zombies(s);
        return true;
    }
}

std::uint32_t timer_wheel::next_due_slot(std::uint64_t limit) {
    while (occupied_levels_ != 0) {
        const unsigned level = ctz64(occupied_levels_);
        const std::uint32_t s = first_occupied(level);
        const std::uint64_t start = slot_start(level, s % slots);
        assert(start >= now_);
        if (start > limit) break;
        const std::uint64_t before = now_;
        now_ = start;
        if (level == 0) return s;
        cascade(s, before);
    }
    // Nothing is due up to `limit`: move the wheel there (the invariant holds
    // since every pending timer is later).
    if (limit > now_) now_ = limit;
    return none;
}

std::optional<std::int64_t> timer_wheel::next_due() const {
    if (size_ == 0) return std::nullopt;
    if (cache_valid_) return cached_next_;
    std::int64_t best;
    if (!overdue_.empty()) {
        best = overdue_.front().due;  // the heap's top is always live
    } else {
        const unsigned level = ctz64(occupied_levels_);
        const std::uint32_t s = first_occupied(level);
        if (level == 0) {
            best = from_key(slot_start(0, s));
        } else {
            const bool from_low = level < max_low_level;  // (a slot's own digit differs from now_'s until it cascades)
            std::uint64_t key = std::numeric_limits<std::uint64_t>::max();
            for (const entry& e : slots_[s].entries)
                if (live(e.index)) key = std::min(key, entry_key(e, from_low));
            best = from_key(key);
        }
    }
    cached_next_ = best;
    cache_valid_ = true;
    return best;
}

std::size_t timer_wheel::memory_bytes() const noexcept {
    std::size_t entries = 0;
    for (const slot_array& a : slots_) entries += a.entries.capacity();
    return sizeof(*this) + chunks_.capacity() * sizeof(chunks_[0]) +
           chunks_.size() * std::size_t{chunk_size} * sizeof(node) + live_.capacity() * sizeof(std::uint64_t) +
           slots_.capacity() * sizeof(slot_array) + entries * sizeof(entry) +
           overdue_.capacity() * sizeof(overdue_entry);
}

}  // namespace caseflow::detail
