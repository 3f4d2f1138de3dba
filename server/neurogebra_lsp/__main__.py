from neurogebra_lsp.cli import main

if __name__ == "__main__":
    main()
