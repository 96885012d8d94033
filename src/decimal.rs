//! Exact decimal values.
//!
//! A fact-checker who reads `1.772 مليار` must get `1772000000`, never
//! `1771999999.9999998`. Values are kept as an integer mantissa with a decimal
//! scale from parsing to output: no `f64` on the way.

use std::fmt;
use std::num::NonZeroU8;
use std::str::FromStr;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An exact decimal number: `mantissa × 10^-scale`, kept normalised (no trailing
/// zero in the mantissa of a fractional value), so equal values compare equal.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Decimal {
    mantissa: i128,
    /// The scale plus one. A `NonZeroU8` never holds zero, and `Option`
    /// keeps its `None` in that unused value, so an `Option<Decimal>` takes
    /// no more room than a `Decimal` (32 bytes instead of 48). Money and
    /// number values hold up to four of them, and every entity is as large
    /// as its largest value: this makes each entity a fifth smaller (272
    /// bytes instead of 336), and each of its moves from extractor to record
    /// cheaper.
    scale_plus_one: NonZeroU8,
}

/// The largest scale kept: 28 fractional digits.
const MAX_SCALE: u8 = 28;

impl Decimal {
    /// Zero.
    pub const ZERO: Decimal = Decimal::from_int(0);

    /// `mantissa × 10^-scale`, normalised. `None` when the scale is above 28.
    pub fn new(mantissa: i128, scale: u8) -> Option<Decimal> {
        (scale <= MAX_SCALE).then(|| Decimal::normalized(mantissa, scale))
    }

    /// An integer value.
    pub const fn from_int(value: i128) -> Decimal {
        Decimal::exactly(value, 0)
    }

    /// `mantissa × 10^-scale` as it is: the caller has normalised it, and
    /// `scale` is at most [`MAX_SCALE`].
    const fn exactly(mantissa: i128, scale: u8) -> Decimal {
        Decimal {
            mantissa,
            scale_plus_one: NonZeroU8::MIN.saturating_add(scale),
        }
    }

    /// `mantissa × 10^-scale` without trailing zeros in a fractional
    /// mantissa (`mantissa` 8050, `scale` 3 gives 805 and 2).
    fn normalized(mantissa: i128, scale: u8) -> Decimal {
        if scale == 0 {
            // An integer (`2500000000`): no fractional digit to drop.
            return Decimal::exactly(mantissa, 0);
        }
        // Mantissas of the genre fit in 64 bits, where `% 10` and `/ 10` are
        // instructions rather than calls into the 128-bit division routines;
        // the 128-bit loop is only for the others.
        let (mantissa, mut scale) = match i64::try_from(mantissa) {
            Ok(m) => {
                let (m, scale) = Decimal::without_trailing_zeros(m, scale);
                (i128::from(m), scale)
            }
            Err(_) => {
                let (mut mantissa, mut scale) = (mantissa, scale);
                while scale > 0 && mantissa % 10 == 0 {
                    mantissa /= 10;
                    scale -= 1;
                }
                (mantissa, scale)
            }
        };
        if mantissa == 0 {
            scale = 0;
        }
        Decimal::exactly(mantissa, scale)
    }

    /// A 64-bit `mantissa` and its `scale` with the trailing zeros of its
    /// fractional digits dropped.
    fn without_trailing_zeros(mut mantissa: i64, mut scale: u8) -> (i64, u8) {
        while scale > 0 && mantissa % 10 == 0 {
            mantissa /= 10;
            scale -= 1;
        }
        (mantissa, scale)
    }

    /// The mantissa (`805` for `8.05`).
    pub fn mantissa(self) -> i128 {
        self.mantissa
    }

    /// The number of fractional digits (`2` for `8.05`).
    pub fn scale(self) -> u8 {
        self.scale_plus_one.get() - 1
    }

    /// Whether the value has no fractional part.
    pub fn is_integer(self) -> bool {
        self.scale() == 0
    }

    /// The exact product, or `None` on overflow.
    ///
    /// ```
    /// use akhbar::Decimal;
    /// let amount: Decimal = "1.772".parse().unwrap();
    /// let billion = Decimal::from_int(1_000_000_000);
    /// assert_eq!(amount.checked_mul(billion).unwrap().to_string(), "1772000000");
    /// ```
    pub fn checked_mul(self, other: Decimal) -> Option<Decimal> {
        // Two mantissas of 64 bits (those of the genre: `2.5 مليار`) make a
        // product that fits in 128 bits, with no overflow to test.
        let mantissa = match (i64::try_from(self.mantissa), i64::try_from(other.mantissa)) {
            (Ok(a), Ok(b)) => i128::from(a) * i128::from(b),
            _ => self.mantissa.checked_mul(other.mantissa)?,
        };
        let scale = self.scale().checked_add(other.scale())?;
        if scale > MAX_SCALE {
            return None;
        }
        Some(Decimal::normalized(mantissa, scale))
    }

    /// How many significant digits the mantissa has.
    fn significant_digits(self) -> u32 {
        let m = self.mantissa.unsigned_abs();
        if m == 0 {
            1
        } else {
            m.ilog10() + 1
        }
    }
}

impl Default for Decimal {
    fn default() -> Decimal {
        Decimal::ZERO
    }
}

impl fmt::Debug for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Decimal")
            .field("mantissa", &self.mantissa)
            .field("scale", &self.scale())
            .finish()
    }
}

/// The error of parsing a [`Decimal`] from text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a plain decimal number: {0:?}")]
pub struct ParseDecimalError(String);

impl FromStr for Decimal {
    type Err = ParseDecimalError;

    /// Parses a plain decimal: optional `-`, ASCII digits, optional `.` and
    /// digits. Separators of the genre (`1,772`, `٢٫٥`) are the figures
    /// extractor's business; this is the canonical form only.
    fn from_str(s: &str) -> Result<Decimal, ParseDecimalError> {
        let err = || ParseDecimalError(s.to_string());
        let (negative, digits) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
        if int.is_empty() && frac.is_empty() {
            return Err(err());
        }
        if frac.len() > MAX_SCALE as usize {
            return Err(err());
        }
        let mut mantissa: i128 = 0;
        for b in int.bytes().chain(frac.bytes()) {
            if !b.is_ascii_digit() {
                return Err(err());
            }
            mantissa = mantissa
                .checked_mul(10)
                .and_then(|m| m.checked_add(i128::from(b - b'0')))
                .ok_or_else(err)?;
        }
        if negative {
            mantissa = -mantissa;
        }
        Decimal::new(mantissa, frac.len() as u8).ok_or_else(err)
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.scale() == 0 {
            return write!(f, "{}", self.mantissa);
        }
        let digits = self.mantissa.unsigned_abs().to_string();
        let scale = usize::from(self.scale());
        let sign = if self.mantissa < 0 { "-" } else { "" };
        if digits.len() > scale {
            let (int, frac) = digits.split_at(digits.len() - scale);
            write!(f, "{sign}{int}.{frac}")
        } else {
            write!(f, "{sign}0.{}{digits}", "0".repeat(scale - digits.len()))
        }
    }
}

impl Serialize for Decimal {
    /// Integers are written as JSON integers (`1772000000000`); fractions as JSON
    /// numbers with exactly their decimal digits (`8.05`), never with a trailing
    /// `.0` or an exponent.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.scale() == 0 {
            return serializer.serialize_i128(self.mantissa);
        }
        let text = self.to_string();
        // Up to 15 significant digits, an f64 prints back as the same shortest
        // decimal (DBL_DIG); serde_json prints no exponent while fewer than five
        // zeros follow the point. Anything else is written as raw JSON text.
        let digits = self.significant_digits();
        let plain_range = digits <= 15 && u32::from(self.scale()) <= digits + 4;
        if plain_range {
            let value: f64 = text.parse().map_err(serde::ser::Error::custom)?;
            return serializer.serialize_f64(value);
        }
        serde_json::value::RawValue::from_string(text)
            .map_err(serde::ser::Error::custom)?
            .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Decimal {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
        struct DecimalVisitor;
        impl Visitor<'_> for DecimalVisitor {
            type Value = Decimal;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a decimal number")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
                Ok(Decimal::from_int(v.into()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
                Ok(Decimal::from_int(v.into()))
            }
            fn visit_i128<E: de::Error>(self, v: i128) -> Result<Decimal, E> {
                Ok(Decimal::from_int(v))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Decimal, E> {
                // Display prints the shortest decimal that reads back as `v`.
                format!("{v}").parse().map_err(E::custom)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
                v.parse().map_err(E::custom)
            }
        }
        deserializer.deserialize_any(DecimalVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_optional_decimal_takes_the_room_of_a_decimal() {
        assert_eq!(
            std::mem::size_of::<Option<Decimal>>(),
            std::mem::size_of::<Decimal>()
        );
        // Every scale is kept as it is given, zero and the largest included.
        for scale in 0..=MAX_SCALE {
            let d = Decimal::new(-7, scale).expect("a scale of at most 28");
            assert_eq!((d.mantissa(), d.scale()), (-7, scale));
            if scale < MAX_SCALE {
                // `-0.70` is normalised to `-0.7`.
                assert_eq!(Decimal::new(-70, scale + 1), Some(d));
            }
        }
        assert_eq!(Decimal::new(1, MAX_SCALE + 1), None);
        assert_eq!(Decimal::default(), Decimal::ZERO);
        assert_eq!(
            format!("{:?}", d("8.05")),
            "Decimal { mantissa: 805, scale: 2 }"
        );
    }

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn parses_and_prints_exactly() {
        for s in [
            "0",
            "8.05",
            "1772000000000",
            "-3.5",
            "0.001",
            "4.952",
            "123456789012345678901234567",
        ] {
            assert_eq!(d(s).to_string(), s);
        }
        assert_eq!(d("8.50").to_string(), "8.5");
        assert_eq!(d("2.0").to_string(), "2");
        assert_eq!(d(".5").to_string(), "0.5");
        assert!("1,5".parse::<Decimal>().is_err());
        assert!("".parse::<Decimal>().is_err());
        assert!("-".parse::<Decimal>().is_err());
    }

    #[test]
    fn scale_words_multiply_exactly() {
        let billion = Decimal::from_int(1_000_000_000);
        assert_eq!(
            d("1.772").checked_mul(billion).unwrap(),
            Decimal::from_int(1_772_000_000)
        );
        assert_eq!(
            d("4.952")
                .checked_mul(Decimal::from_int(1_000_000))
                .unwrap()
                .to_string(),
            "4952000"
        );
        assert!(Decimal::from_int(i128::MAX)
            .checked_mul(Decimal::from_int(10))
            .is_none());
    }

    /// `mantissa × 10^-scale` normalised with 128-bit arithmetic alone: what
    /// the 64-bit shortcuts must agree with.
    fn slow_normalized(mut m: i128, mut scale: u8) -> (i128, u8) {
        while scale > 0 && m % 10 == 0 {
            m /= 10;
            scale -= 1;
        }
        (m, if m == 0 { 0 } else { scale })
    }

    /// Mantissas on either side of the 64-bit edges, and of the genre.
    const EDGE_MANTISSAS: [i128; 18] = [
        0,
        1,
        -1,
        10,
        -10,
        1772,
        17720,
        100_000,
        -2_500_000,
        i64::MAX as i128,
        i64::MIN as i128,
        i64::MAX as i128 + 1,
        i64::MIN as i128 - 10,
        9_223_372_036_854_775_800,
        10i128.pow(30),
        -(10i128.pow(25)),
        i128::MAX,
        i128::MIN + 8,
    ];

    #[test]
    fn normalises_small_and_large_mantissas_alike() {
        // The 64-bit shortcut and the 128-bit loop give the same decimal.
        for m in EDGE_MANTISSAS {
            for scale in 0..=MAX_SCALE {
                let d = Decimal::new(m, scale).unwrap();
                let plain = slow_normalized(m, scale);
                assert_eq!((d.mantissa(), d.scale()), plain, "{m} {scale}");
            }
        }
    }

    #[test]
    fn products_of_small_and_large_mantissas_are_the_128_bit_products() {
        // The 64-bit shortcut of `checked_mul` against the checked 128-bit
        // product, normalised, of every pair of edge mantissas and scales.
        let mut products = 0;
        for (a, b) in EDGE_MANTISSAS
            .iter()
            .flat_map(|&a| EDGE_MANTISSAS.map(|b| (a, b)))
        {
            for (sa, sb) in [(0, 0), (0, 3), (2, 1), (14, 14), (20, 9), (28, 0), (28, 1)] {
                let (x, y) = (Decimal::new(a, sa).unwrap(), Decimal::new(b, sb).unwrap());
                let scale = x.scale() + y.scale();
                let plain = x
                    .mantissa()
                    .checked_mul(y.mantissa())
                    .filter(|_| scale <= MAX_SCALE)
                    .map(|m| slow_normalized(m, scale));
                let product = x.checked_mul(y).map(|p| (p.mantissa(), p.scale()));
                assert_eq!(product, plain, "{x:?} × {y:?}");
                products += usize::from(product.is_some());
            }
        }
        assert!(products > 1000, "{products} products");
    }

    #[test]
    fn serializes_as_json_numbers_without_trailing_zero() {
        let json = |s: &str| serde_json::to_string(&d(s)).unwrap();
        assert_eq!(json("17500000000000"), "17500000000000");
        assert_eq!(json("8.05"), "8.05");
        assert_eq!(json("8.0"), "8");
        assert_eq!(json("0.000001"), "0.000001");
        assert_eq!(json("1234567890.123456789"), "1234567890.123456789");
        assert_eq!(json("100000000000000000000000"), "100000000000000000000000");
    }

    #[test]
    fn deserializes_json_numbers() {
        let back = |s: &str| serde_json::from_str::<Decimal>(s).unwrap();
        assert_eq!(back("8.05"), d("8.05"));
        assert_eq!(back("17500000000000"), d("17500000000000"));
        assert_eq!(back("\"2.5\""), d("2.5"));
    }
}
