//! A search for costs that grow faster than the input: coverage-guided fuzzing works on inputs of
//! a few kilobytes, where a quadratic step still takes milliseconds, so this grows each corpus
//! input to two large sizes in ways that pile up what parsers count (a repeated token, a
//! repeated pair of tokens around the middle, the whole input again) and compares the times.
//! A cost that grows linearly takes about four times as long at four times the size; a
//! quadratic one sixteen times.

use std::time::{Duration, Instant};

/// One way of growing an input, and the input grown to a size.
pub struct Variant {
    /// How the input was grown, for the report.
    pub name: String,
    /// Builds the grown input of about `size` bytes.
    pub build: Box<dyn Fn(usize) -> Vec<u8>>,
}

/// A deterministic sequence of numbers, so a search can be repeated.
struct Xorshift(u64);

impl Xorshift {
    fn next(&mut self, below: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        if below == 0 {
            0
        } else {
            usize::try_from(self.0 % below as u64).unwrap_or(0)
        }
    }
}

/// The ways `seed` is grown: the whole of it repeated; `samples` substrings of 1 to 8 bytes
/// each repeated where they stand; and `samples` pairs of such substrings, the first repeated
/// before and the second after the text between them (as nesting grows: `((((x))))`).
pub fn variants(seed: &[u8], samples: usize) -> Vec<Variant> {
    let mut out = Vec::new();
    if seed.is_empty() {
        return out;
    }
    let whole = seed.to_vec();
    out.push(Variant {
        name: "the whole input, repeated".into(),
        build: Box::new(move |size| whole.iter().copied().cycle().take(size).collect()),
    });
    let mut rng = Xorshift(0x9e37_79b9_7f4a_7c15 ^ seed.len() as u64);
    let piece = |rng: &mut Xorshift| {
        let at = rng.next(seed.len());
        let len = 1 + rng.next(8).min(seed.len() - at - 1);
        (at, len)
    };
    for _ in 0..samples {
        let (at, len) = piece(&mut rng);
        let (head, rest) = seed.split_at(at);
        let (token, tail) = rest.split_at(len);
        let (head, token, tail) = (head.to_vec(), token.to_vec(), tail.to_vec());
        out.push(Variant {
            name: format!(
                "{:?} repeated at byte {at}",
                String::from_utf8_lossy(&token)
            ),
            build: Box::new(move |size| {
                let n = size.saturating_sub(head.len() + tail.len()) / token.len().max(1);
                let mut v = head.clone();
                for _ in 0..n {
                    v.extend_from_slice(&token);
                }
                v.extend_from_slice(&tail);
                v
            }),
        });
    }
    for _ in 0..samples {
        let (a, alen) = piece(&mut rng);
        let (b, blen) = piece(&mut rng);
        if b < a + alen {
            continue;
        }
        let head = seed.get(..a).unwrap_or_default().to_vec();
        let open = seed.get(a..a + alen).unwrap_or_default().to_vec();
        let middle = seed.get(a + alen..b).unwrap_or_default().to_vec();
        let close = seed.get(b..b + blen).unwrap_or_default().to_vec();
        let tail = seed.get(b + blen..).unwrap_or_default().to_vec();
        out.push(Variant {
            name: format!(
                "{:?} … {:?} nested at bytes {a} and {b}",
                String::from_utf8_lossy(&open),
                String::from_utf8_lossy(&close)
            ),
            build: Box::new(move |size| {
                let fixed = head.len() + middle.len() + tail.len();
                let n = size.saturating_sub(fixed) / (open.len() + close.len()).max(1);
                let mut v = head.clone();
                for _ in 0..n {
                    v.extend_from_slice(&open);
                }
                v.extend_from_slice(&middle);
                for _ in 0..n {
                    v.extend_from_slice(&close);
                }
                v.extend_from_slice(&tail);
                v
            }),
        });
    }
    out
}

/// How long `check` takes on `input`: the fastest of `runs`.
pub fn time(check: fn(&[u8]) -> crate::Checked, input: &[u8], runs: usize) -> Duration {
    (0..runs.max(1))
        .map(|_| {
            let start = Instant::now();
            let _ = check(input);
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

/// A variant whose time grows faster than its size.
pub struct Growth {
    /// How the input was grown.
    pub variant: String,
    /// The time at the smaller size and at four times that.
    pub small: Duration,
    /// The time at four times the size.
    pub large: Duration,
    /// The larger input's size.
    pub size: usize,
}

/// Times `check` on each variant of `seed` at `size / 4` and `size` bytes, and returns those
/// whose time grew more than eightfold while the larger took over `floor`.
pub fn search(
    check: fn(&[u8]) -> crate::Checked,
    seed: &[u8],
    size: usize,
    samples: usize,
    floor: Duration,
) -> Vec<Growth> {
    let mut out = Vec::new();
    for variant in variants(seed, samples) {
        let small_input = (variant.build)(size / 4);
        let large_input = (variant.build)(size);
        let large = time(check, &large_input, 1);
        if large < floor {
            continue;
        }
        let small = time(check, &small_input, 2);
        let large = large.min(time(check, &large_input, 1));
        if large > small * 8 && large > floor {
            out.push(Growth {
                variant: variant.name,
                small,
                large,
                size: large_input.len(),
            });
        }
    }
    out
}
