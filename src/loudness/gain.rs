//! gain: the fixed gain a clip airs with, from its `Measure` and the target loudness,
//! and whether the limiter must run. Pure arithmetic; never touches audio.

use super::Measure;

/// No aired clip's true peak may exceed this (EBU R128 allows −1 dBTP).
pub const TRUE_PEAK_CEILING_DBTP: f64 = -1.0;

/// Largest boost. +20 dB brings a −36 LUFS clip (a quiet phone or field recording) to
/// −16; anything quieter is mostly noise floor or a mis-levelled file, where more boost
/// would air hiss and hand the limiter 20+ dB of peak reduction (audible pumping).
pub const MAX_BOOST_DB: f64 = 20.0;

/// Largest cut (gain never below −MAX_CUT_DB). Real clips are never louder than about
/// −5 LUFS, i.e. 11 dB over −16; 30 dB leaves room for quieter targets and only
/// guards against absurd measurements.
pub const MAX_CUT_DB: f64 = 30.0;

/// The limiter's ceiling on its 4× oversampled (true) peak estimate, and the threshold
/// for running it: 0.5 dB under the ceiling, for estimate error, resampling to the
/// output's rate and 16-bit rounding.
pub(crate) const LIMITER_CEILING_DBTP: f64 = TRUE_PEAK_CEILING_DBTP - 0.5;

/// How a clip airs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClipGain {
    /// Gain to apply, dB.
    pub gain_db: f64,
    /** true when true_peak + gain would exceed the ceiling: the limiter must run */
    pub limit: bool,
}

/// Gain = clamp(target − integrated, −MAX_CUT_DB, +MAX_BOOST_DB). A clip without an
/// integrated loudness (silent or under 0.4 s) keeps gain 0. `limit` is set when the
/// gained true peak would exceed `TRUE_PEAK_CEILING_DBTP` less a 0.5 dB margin.
pub fn clip_gain(m: &Measure, target_lufs: f64) -> ClipGain {
    let gain_db = match m.integrated_lufs {
        Some(i) if i.is_finite() && target_lufs.is_finite() => {
            (target_lufs - i).clamp(-MAX_CUT_DB, MAX_BOOST_DB)
        }
        _ => 0.0,
    };
    let peak = if m.true_peak_dbtp.is_finite() {
        m.true_peak_dbtp
    } else {
        // Unknown peak: be safe.
        f64::MAX
    };
    ClipGain {
        gain_db,
        limit: peak + gain_db > LIMITER_CEILING_DBTP,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(i: Option<f64>, tp: f64) -> Measure {
        Measure {
            integrated_lufs: i,
            true_peak_dbtp: tp,
            seconds: 10.0,
            aired_gain_db: None,
        }
    }

    #[test]
    fn gain_is_target_minus_integrated() {
        assert_eq!(
            clip_gain(&m(Some(-30.0), -20.0), -16.0),
            ClipGain {
                gain_db: 14.0,
                limit: false
            }
        );
        assert_eq!(
            clip_gain(&m(Some(-8.0), -0.5), -16.0),
            ClipGain {
                gain_db: -8.0,
                limit: false
            }
        );
    }

    #[test]
    fn gain_is_clamped() {
        assert_eq!(
            clip_gain(&m(Some(-60.0), -50.0), -16.0).gain_db,
            MAX_BOOST_DB
        );
        assert_eq!(clip_gain(&m(Some(20.0), 0.0), -16.0).gain_db, -MAX_CUT_DB);
    }

    #[test]
    fn limit_flag_follows_the_gained_peak() {
        // −30 LUFS with peaks at −12 dBTP: +14 dB puts them at +2 dBTP.
        assert!(clip_gain(&m(Some(-30.0), -12.0), -16.0).limit);
        // Exactly at the limiter's ceiling: no limiter needed; just over: needed.
        assert!(!clip_gain(&m(Some(-30.0), -15.5), -16.0).limit);
        assert!(clip_gain(&m(Some(-30.0), -15.4), -16.0).limit);
    }

    #[test]
    fn unmeasurable_clips_keep_gain_0_and_are_limited_only_if_hot() {
        assert_eq!(
            clip_gain(&m(None, -200.0), -16.0),
            ClipGain {
                gain_db: 0.0,
                limit: false
            }
        );
        assert_eq!(
            clip_gain(&m(None, 0.0), -16.0),
            ClipGain {
                gain_db: 0.0,
                limit: true
            }
        );
        assert_eq!(clip_gain(&m(Some(-20.0), -3.0), f64::NAN).gain_db, 0.0);
    }
}
