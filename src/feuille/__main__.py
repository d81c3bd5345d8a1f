from feuille.cli import main

main()
