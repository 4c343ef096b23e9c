using Recipe.Cli;

// The `recipe` command; everything but the process boundary lives in RecipeApp (and runs in tests).
return RecipeApp.Run(args, Console.Out, Console.Error);
