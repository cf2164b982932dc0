//! The `diffusion-sim` binary: see `cli`.

fn main() -> std::process::ExitCode {
    diffusion_sim::cli::main()
}
