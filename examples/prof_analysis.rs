use akhbar::Analysis;
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let text = std::fs::read_to_string(path).unwrap();
    let docs: Vec<&str> = text.split("\n\n\n").collect();
    let mut best = f64::MAX;
    for _ in 0..5 {
        let t = std::time::Instant::now();
        let mut n = 0;
        for d in &docs {
            n += Analysis::new(d).tokens().len();
        }
        std::hint::black_box(n);
        best = best.min(t.elapsed().as_secs_f64());
    }
    let norm_t = {
        let t = std::time::Instant::now();
        for d in &docs {
            std::hint::black_box(akhbar::text::NormalizedText::new(d));
        }
        t.elapsed().as_secs_f64()
    };
    println!(
        "analysis {:.1} MB/s; normalize {:.1} MB/s",
        text.len() as f64 / 1e6 / best,
        text.len() as f64 / 1e6 / norm_t
    );
}
