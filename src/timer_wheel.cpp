// The timing wheel.  Invariant: a timer at level k > 0 has the same key digits
// as now_ above k and a larger digit k; a level-0 timer differs from now_ at
// most in digit 0, where it is >= now_'s.  Hence the lowest non-empty level
// holds the earliest timers and, in it, the lowest occupied slot.  When a slot
// is cascaded every lower level is empty, and later inserts carry larger
// sequence numbers, so each slot's list stays in insertion order: ties need
// no sorting.  Timers due before now_ wait in a small heap (`overdue_`).
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

timer_wheel::timer_wheel(std::int64_t now) : now_(to_key(now)) {
    back_.reserve(back_walk_limit);
    while (capacity_ <= first_timer) {
        chunks_.push_back(std::make_unique<node[]>(chunk_size));
        capacity_ += chunk_size;
    }
    for (std::uint32_t i = 0; i < first_timer; ++i) at(i) = node{0, 0, 0, i, i};
    // Free list in ascending index order, so a fresh wheel hands out nodes
    // sequentially (good locality for bulk inserts).
    for (std::uint32_t i = capacity_; i-- > first_timer;) {
        at(i) = node{0, 0, 0, free_, none};
        free_ = i;
    }
}

std::uint32_t timer_wheel::allocate() {
    if (free_ == none) {
        if (capacity_ > none - chunk_size - 1) throw std::length_error("timer_wheel: too many timers");
        chunks_.push_back(std::make_unique<node[]>(chunk_size));
        const std::uint32_t base = capacity_;
        capacity_ += chunk_size;
        for (std::uint32_t i = capacity_; i-- > base;) {
            at(i) = node{0, 0, 0, free_, none};
            free_ = i;
        }
    }
    const std::uint32_t i = free_;
    free_ = at(i).next;
    return i;
}

void timer_wheel::release(std::uint32_t i) noexcept {
    node& n = at(i);
    n.seq = 0;
    n.prev = none;
    n.next = free_;
    free_ = i;
}

void timer_wheel::link_tail(std::uint32_t head, std::uint32_t i) noexcept {
    node& h = at(head);
    node& n = at(i);
    const std::uint32_t last = h.prev;
    assert(last == head || at(last).seq < n.seq);
    n.prev = last;
    n.next = head;
    at(last).next = i;
    h.prev = i;
    if (last == head) mark_occupied(head);  // was empty
}

void timer_wheel::mark_occupied(std::uint32_t head) noexcept {
    const unsigned level = head / slots;
    occupied_[head / 64] |= std::uint64_t{1} << (head % 64);
    occupied_words_[level] |= std::uint64_t{1} << (head % slots / 64);
    occupied_levels_ |= 1u << level;
}

void timer_wheel::mark_empty(std::uint32_t head) noexcept {
    std::uint64_t& word = occupied_[head / 64];
    word &= ~(std::uint64_t{1} << (head % 64));
    if (word != 0) return;
    const unsigned level = head / slots;
    occupied_words_[level] &= ~(std::uint64_t{1} << (head % slots / 64));
    if (occupied_words_[level] == 0) occupied_levels_ &= ~(1u << level);
}

std::uint32_t timer_wheel::first_occupied(unsigned level) const noexcept {
    const unsigned word = level * words + ctz64(occupied_words_[level]);
    return word * 64 + ctz64(occupied_[word]);
}

void timer_wheel::unlink(std::uint32_t i) noexcept {
    const node& n = at(i);
    at(n.prev).next = n.next;
    at(n.next).prev = n.prev;
    // The list is now empty exactly when only its head is left.
    if (n.next == n.prev) mark_empty(n.next);
}

void timer_wheel::file(std::uint32_t i) noexcept {
    const std::uint64_t key = to_key(at(i).due);
    assert(key >= now_);
    const std::uint64_t diff = key ^ now_;
    const unsigned level = diff == 0 ? 0 : msb64(diff) / level_bits;
    const unsigned slot = static_cast<unsigned>(key >> (level * level_bits)) & (slots - 1);
    link_tail(level * slots + slot, i);
}

std::uint64_t timer_wheel::slot_start(unsigned level, unsigned slot) const noexcept {
    const unsigned above = (level + 1) * level_bits;
    const std::uint64_t high = above >= 64 ? 0 : (now_ >> above) << above;
    return high | (std::uint64_t{slot} << (level * level_bits));
}

void timer_wheel::cascade(std::uint32_t head) noexcept {
    node& h = at(head);
    std::uint32_t f = h.next;
    std::uint32_t b = h.prev;
    h.next = h.prev = head;
    mark_empty(head);
    // Every timer re-files to a lower level, never back into this list, and
    // in list order.  The list's nodes are scattered over the slab, so the
    // walk is a chain of cache misses; walking from both ends at once keeps
    // two misses in flight.  The back half waits in back_ (bounded) and is
    // filed last.  Unprocessed: f..b inclusive.
    for (;;) {
        if (f == b) {
            file(f);
            break;
        }
        const std::uint32_t nf = at(f).next;
        if (nf == b) {
            file(f);
            file(b);
            break;
        }
        if (back_.size() < back_.capacity()) {
            const std::uint32_t nb = at(b).prev;
            back_.push_back(b);
            b = nb;
        }
        file(f);
        f = nf;
    }
    while (!back_.empty()) {
        file(back_.back());
        back_.pop_back();
    }
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
    if (to_key(due) < now_) {
        n.next = n.prev = in_overdue;
        overdue_.push_back(overdue_entry{due, n.seq, i});
        std::push_heap(overdue_.begin(), overdue_.end(), later{});
        ++overdue_live_;
    } else {
        file(i);
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
    return id.seq != 0 && id.index >= first_timer && id.index < capacity_ && at(id.index).seq == id.seq;
}

timer_id timer_wheel::handle(std::uint32_t index) const noexcept {
    if (index < first_timer || index >= capacity_ || at(index).seq == 0) return {};
    return timer_id{index, at(index).seq};
}

std::uint64_t timer_wheel::payload(timer_id id) const noexcept { return pending(id) ? at(id.index).payload : 0; }

bool timer_wheel::cancel(timer_id id) noexcept {
    if (!pending(id)) return false;
    node& n = at(id.index);
    if (cache_valid_ && n.due == cached_next_) cache_valid_ = false;
    if (n.next == in_overdue) {
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
    } else {
        unlink(id.index);
        release(id.index);
    }
    --size_;
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
    // The earliest timers head the lowest occupied level-0 slot.  Timers
    // inserted at this very instant by a callback join its tail: they fire in
    // this advance, after the others, as their sequence numbers say.
    const std::uint32_t head = next_due_slot(to_key(now));
    if (head == none) return false;
    const std::uint32_t first = at(head).next;
    unlink(first);
    take(first, out);
    return true;
}

std::uint32_t timer_wheel::next_due_slot(std::uint64_t limit) noexcept {
    while (occupied_levels_ != 0) {
        const unsigned level = ctz64(occupied_levels_);
        const std::uint32_t head = first_occupied(level);
        const std::uint64_t start = slot_start(level, head % slots);
        assert(start >= now_);
        if (start > limit) break;
        now_ = start;
        if (level == 0) return head;
        cascade(head);
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
        const std::uint32_t head = first_occupied(level);
        if (level == 0) {
            best = from_key(slot_start(0, head));
        } else {
            best = std::numeric_limits<std::int64_t>::max();
            for (std::uint32_t i = at(head).next; i != head; i = at(i).next) best = std::min(best, at(i).due);
        }
    }
    cached_next_ = best;
    cache_valid_ = true;
    return best;
}

std::size_t timer_wheel::memory_bytes() const noexcept {
    return sizeof(*this) + chunks_.capacity() * sizeof(chunks_[0]) +
           chunks_.size() * std::size_t{chunk_size} * sizeof(node) + overdue_.capacity() * sizeof(overdue_entry) +
           back_.capacity() * sizeof(std::uint32_t);
}

}  // namespace caseflow::detail
