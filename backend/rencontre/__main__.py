from rencontre.cli import main

main()
