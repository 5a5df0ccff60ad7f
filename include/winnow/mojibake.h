// Mojibake repair, part of the repair stage: UTF-8 text that some earlier tool decoded with
// the wrong single-byte or GBK codec (`â€™` for `’`, `Ã©` for `é`, `鍙傛暟` for `参数`) is
// encoded back with that codec and decoded as UTF-8 again, but only where the result is
// clearly better. The codec tables come from ICU's converters.
#ifndef WINNOW_MOJIBAKE_H_
#define WINNOW_MOJIBAKE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace winnow {

/// The test behind MojibakeRepairer::MayContainMojibake, one character at a time, for a
/// caller that reads every character of a line anyway (the repair stage's line scan). Feed
/// the characters of a line in order: Next for a BMP character, Skip for any other (and for
/// a byte that starts no character). Cheap to make: the tables are the process's.
class MojibakeScreen {
 public:
  // Inline, so that a screen that is a local variable can live in registers.
  MojibakeScreen() : MojibakeScreen(ProcessMasks()) {}

  /// True when mojibake may be at `c` (at most U+FFFF): it is a C1 control, or it reads as
  /// a continuation byte in a codec in which the character before reads as a lead byte.
  /// No branch but for controls: two loads are cheaper than a guess that fails.
  bool Next(char32_t c) {
    if (c - 0x80 < c1_span_) return true;
    const bool hit = (previous_leads_ & continuation_mask_[c]) != 0;
    previous_leads_ = lead_mask_[c];
    return hit;
  }
  /// Next for a character of three UTF-8 bytes (U+0800..U+FFFF), which is no C1 control.
  /// Here a branch pays: in Chinese text the character before is nearly always a lead in no
  /// codec (no GB2312 ideograph is one), and then the second load is not needed.
  bool NextThreeByte(char32_t c) {
    bool hit = false;
    if (previous_leads_ != 0) hit = (previous_leads_ & continuation_mask_[c]) != 0;
    previous_leads_ = lead_mask_[c];
    return hit;
  }
  /// A character that is in no codec's table.
  void Skip() { previous_leads_ = 0; }

  /// True when `c` (at most U+FFFF) reads as a lead byte in some codec. After a character
  /// for which it is false, Next answers true only for a C1 control.
  bool IsLeadInSomeCodec(char32_t c) const { return lead_mask_[c] != 0; }

 private:
  struct Masks {
    const uint8_t* lead_mask;
    const uint8_t* continuation_mask;
    char32_t c1_span;  // 0x20, or 0 when the tables could not be built (nothing is mojibake)
  };
  explicit MojibakeScreen(const Masks& masks)
      : lead_mask_(masks.lead_mask),
        continuation_mask_(masks.continuation_mask),
        c1_span_(masks.c1_span) {}
  /// The process's tables, built on first use.
  static Masks ProcessMasks();

  const uint8_t* lead_mask_;
  const uint8_t* continuation_mask_;
  char32_t c1_span_;
  uint8_t previous_leads_ = 0;
};

/// Repairs mojibake in one piece of text (a line, a title). One instance per thread; the
/// codec tables are built once per process, on first use.
///
/// The codecs tried are windows-1252 (with Latin-1 for its five undefined bytes and the C1
/// controls), windows-1251, windows-1250, Mac OS Roman and IBM 437 for text of any script,
/// and GBK for Chinese. A run of characters is repaired when its bytes in the codec are
/// well-formed UTF-8 (CESU-8 surrogate pairs included) and:
///   - what it decodes to is plausible: letters of a living script, common punctuation and
///     symbols, CJK, emoji; never controls, IPA, modifier letters or historic letters; and
///     letters of the same script as the letters right beside the run;
///   - the run itself is implausible as text: C1 controls, a symbol inside a word (`Ã©t`,
///     `doesnâ€™t`), a case flip (`rÃ©`), several sequences back to back. Punctuation that
///     may legitimately end a word (`É…`, `Ã’s`, `NESTLÉ®`) does not count. A run with only
///     weak evidence is repaired only when the same line holds a run with strong evidence
///     in the same codec. For GBK: at least two decoded characters, all of them in GB2312
///     (the common simplified set), from a run that is mostly outside GB2312.
/// A line whose runs in a codec are mostly implausible is left alone in that codec (box
/// drawing, Ukrainian capitals). Repair repeats until nothing changes, so text that went
/// through a wrong decode twice (`nÃƒÂ©`) comes back, and repairing the output again
/// changes nothing.
class MojibakeRepairer {
 public:
  MojibakeRepairer();

  /// False when ICU could not open the converters; then Repair changes nothing.
  bool ok() const;

  /// True when `text` holds a character that could start mojibake in some codec; false
  /// means Repair would change nothing (the fast path for most lines).
  bool MayContainMojibake(std::string_view text) const;

  /// Writes `text` with its mojibake repaired into `*out` (replaced, must not alias `text`).
  /// Returns the number of runs repaired; 0 means `*out` is a copy. `text` must be valid
  /// UTF-8.
  size_t Repair(std::string_view text, std::string* out);

 private:
  std::vector<char32_t> code_points_;
  std::vector<char32_t> repaired_;
};

}  // namespace winnow

#endif  // WINNOW_MOJIBAKE_H_
