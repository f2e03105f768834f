from oastrack.launch import main

main()
