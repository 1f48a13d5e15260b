"""No models. The module exists so that Django sends `post_migrate` for this app (it skips apps
without a models module), which re-applies the staff roles after every migrate and flush."""
